"""Episode, series and index pages: player, chapters, transcript, JSON-LD, fixed queries, language fallback."""

import datetime as dt
import json
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale
from wagtailmedia.models import Media

from tests.videos.conftest import make_episode
from videos import actions
from videos.models import EpisodePage

pytestmark = pytest.mark.django_db


def _ld(body):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1))


def test_episode_page_offers_both_caption_tracks_chapters_and_a_linked_transcript(client, series):
    media = Media(title="clip", type="video", duration=120)
    media.file.save("clip.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64), save=False)
    media.save()
    page = make_episode(series, chapters=3, lines=3, video=media)

    response = client.get(page.url)
    body = response.content.decode()

    assert response.status_code == 200
    assert f'src="/videos/live/{page.pk}/captions/zh-hans.vtt" srclang="zh-hans"' in body
    assert f'src="/videos/live/{page.pk}/captions/en.vtt" srclang="en"' in body
    assert '<a href="?t=60" data-seek="60"><span class="video-time">1:00</span><span>第1章</span></a>' in body
    assert 'href="?t=2" data-seek="2"><span class="video-time">0:02</span></a> 第2句：U盾保管要点' in body
    track = client.get(f"/videos/live/{page.pk}/captions/en.vtt")
    assert track["Content-Type"] == "text/vtt; charset=utf-8"
    assert track.content.decode().startswith("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nline 0: keep your USB key safe")


def test_video_object_json_ld_has_a_clip_per_chapter_and_open_graph_tags(client, series):
    page = make_episode(series, chapters=2)

    body = client.get(page.url).content.decode()
    data = _ld(body)

    assert data["@type"] == "VideoObject" and data["name"] == page.title
    assert [(c["@type"], c["name"], c["startOffset"], c["endOffset"]) for c in data["hasPart"]] == [
        ("Clip", "第0章", 0, 60),
        ("Clip", "第1章", 60, 3600),
    ]
    assert '<meta property="og:type" content="video.episode">' in body
    assert f'<meta property="og:title" content="{page.title}">' in body


def test_json_ld_cannot_be_closed_by_a_hostile_title(client, series):
    page = make_episode(series, title="</script><script>alert(1)</script>")

    body = client.get(page.url).content.decode()

    assert "</script><script>alert(1)" not in body
    assert _ld(body)["name"] == "</script><script>alert(1)</script>"


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_episode_page_runs_a_fixed_number_of_queries(client, series, viewer, moderator, settings, signed_in):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    settings.PORTAL_VIDEOS_QUESTION_RATE_LIMITS = []
    small = make_episode(series, live=True, chapters=1, experts=1, lines=1)
    big = make_episode(series, live=True, chapters=12, experts=5, lines=40)
    for n in range(30):
        asked = actions.ask_question(episode=big, user=viewer, text=f"问题{n}")
        question = actions.approve_question(question=asked.question, user=moderator)
        if n % 3 == 0:
            actions.vote_question(question=question, user=viewer)
    if signed_in:
        client.force_login(viewer)
    for episode in (small, big):  # warm per-process lookups (site, locales, each page's language links)
        _count_queries(client, episode.url)

    assert _count_queries(client, small.url) == _count_queries(client, big.url)
    assert _count_queries(client, big.url) <= 20


def test_english_visitor_of_a_chinese_only_episode_gets_the_chinese_page_with_a_notice(client, demo_site):
    zh = EpisodePage.objects.get(slug="fx-week-48", locale__language_code="zh-hans")
    assert zh.get_translation_or_none(Locale.objects.get(language_code="en")) is None

    response = client.get("/en/videos/fx-weekly/fx-week-48/")

    assert response.status_code == 302 and response["Location"] == f"{zh.url}?from=en"
    body = client.get(response["Location"]).content.decode()
    assert "This video is not available in your language yet, so here is the version we have." in body


def test_english_series_lists_chinese_only_episodes_with_a_badge(client, demo_site):
    body = client.get("/en/videos/fx-weekly/").content.decode()

    assert "Not yet translated" in body
    assert "第48周：议息会议前瞻" in body and '<span class="badge badge-lang" lang="zh-Hans">中文</span>' in body


def test_live_episode_and_next_broadcast_with_countdown(client, demo_site):
    live = EpisodePage.objects.get(slug="family-finance-live", locale__language_code="zh-hans")
    assert live.status() == "live"

    series_body = client.get("/videos/meet-the-experts/").content.decode()
    home_body = client.get("/").content.decode()

    for body in (series_body, home_body):
        assert "家庭理财怎么做（直播）" in body and "video-next" in body
    upcoming = client.get("/videos/meet-the-experts/pension-planning/").content.decode()
    assert 'data-countdown="' in upcoming and "Questions open when the broadcast starts." not in upcoming


def test_status_follows_times_and_the_on_air_switch(series):
    now = timezone.now()
    page = make_episode(series, air_at=now + dt.timedelta(hours=1), lines=0)

    assert page.status(now) == "scheduled"
    assert page.status(now + dt.timedelta(hours=1, minutes=1)) == "live"
    assert page.status(now + dt.timedelta(hours=3)) == "replay"
    page.on_air = True
    assert page.status(now) == "live"


def test_episodes_are_in_the_sitemap(client, demo_site):
    assert "/sitemap-pages.xml</loc>" in client.get("/sitemap.xml").content.decode()
    body = client.get("/sitemap-pages.xml").content.decode()

    assert "/videos/meet-the-experts/online-safety-2026-11/</loc>" in body
    assert "/videos/video-classroom/mobile-transfer/</loc>" in body


def test_kb_video_link_block_can_choose_an_episode():
    from kb.blocks import VideoPageChooserBlock

    assert EpisodePage in VideoPageChooserBlock().target_models


def test_calendar_lists_upcoming_broadcasts(client, demo_site):
    body = client.get("/videos/calendar/").content.decode()

    assert "养老金规划" in body and "家庭理财怎么做（直播）" in body
    assert "网银安全那些事" not in body  # a replay is not on the calendar
