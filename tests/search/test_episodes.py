"""Video episodes in search: title, summary, experts and transcript; a transcript hit opens at its moment."""

import datetime as dt

import pytest
from django.utils import timezone

from search import queries
from search.queries import SearchRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(engine, committed, demo_site):
    from tests.videos.conftest import make_episode
    from videos.models import SeriesPage

    series = SeriesPage.objects.get(slug="video-classroom", locale__language_code="zh-hans")

    def build():
        page = make_episode(
            series,
            title="星河卡挂失教程",
            summary="三分钟学会挂失。",
            air_at=timezone.now() - dt.timedelta(days=3),
            lines=0,
        )
        from tests.videos.conftest import vtt_document

        page.captions_zh = vtt_document(
            "WEBVTT\n\n00:00:00.000 --> 00:00:05.000\n欢迎收看本节课。\n\n"
            "00:12:34.000 --> 00:12:40.000\n如果银行卡不慎遗失，请立即冻结账户。\n"
        )
        page.full_clean()
        page.save_revision().publish()
        return page

    return committed(build)


def _search(text, **kwargs):
    return queries.search(SearchRequest(query=text, audiences=frozenset({"public"}), **kwargs))


def test_a_transcript_hit_opens_the_episode_at_that_moment(lesson):
    results = _search("冻结账户")

    hits = [h for h in results.hits if h.kind == "episodes"]
    assert [h.url for h in hits] == [f"{lesson.url}?t=754"]
    assert "冻结" in str(hits[0].snippet_html)


def test_a_title_hit_opens_the_episode_at_the_start(lesson):
    hits = [h for h in _search("星河卡挂失教程").hits if h.kind == "episodes"]

    assert hits[0].url == lesson.url


def test_episodes_are_found_by_expert_name(lesson):
    expert = lesson.experts.first()

    hits = [h for h in _search(expert.name).hits if h.kind == "episodes"]

    assert [h.pk for h in hits] == [str(lesson.pk)]
