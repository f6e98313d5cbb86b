"""Fixtures of the videos tests: episodes built in code under the demo's series, viewers and moderators."""

import datetime as dt
import itertools

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from portal.core import pagecache, roles
from videos import queries
from videos.models import EpisodePage, Expert, SeriesPage

_n = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_caches():
    pagecache.clear()
    queries.forget_episode_meta()
    yield
    pagecache.clear()
    queries.forget_episode_meta()


@pytest.fixture
def series(demo_site):
    return SeriesPage.objects.get(slug="meet-the-experts", locale__language_code="zh-hans")


def vtt_document(text, title=None):
    from wagtail.documents.models import Document

    doc = Document(title=title or f"captions-{next(_n)}")
    doc.file.save(f"{doc.title}.vtt", ContentFile(text.encode()), save=False)
    doc.save()
    return doc


def cues(count, language="zh-hans"):
    lines = ["WEBVTT", ""]
    for i in range(count):
        words = f"第{i}句：U盾保管要点" if language == "zh-hans" else f"line {i}: keep your USB key safe"
        lines += [f"00:{i // 60:02d}:{i % 60:02d}.000 --> 00:{(i + 1) // 60:02d}:{(i + 1) % 60:02d}.000", words, ""]
    return "\n".join(lines)


def make_episode(parent, *, live=False, air_at=None, chapters=2, experts=1, lines=3, **fields):
    """A published episode below `parent`; live=True puts it on air (its times span now)."""
    now = timezone.now()
    if live:
        air_at = now - dt.timedelta(minutes=5)
    n = next(_n)
    page = EpisodePage(
        title=fields.pop("title", f"测试节目 {n}"),
        slug=fields.pop("slug", f"test-episode-{n}"),
        air_at=air_at,
        duration_seconds=fields.pop("duration_seconds", 3600),
        summary=fields.pop("summary", "测试摘要"),
        chapters=[("chapter", {"start": f"{i}:00", "title": f"第{i}章"}) for i in range(chapters)],
        locale_id=parent.locale_id,
        **fields,
    )
    if lines:
        page.captions_zh = vtt_document(cues(lines))
        page.captions_en = vtt_document(cues(lines, "en"))
        assert page.load_webvtt() == {}
    parent.add_child(instance=page)
    page.experts.set([Expert.objects.create(name=f"专家{n}-{i}", job_title="顾问") for i in range(experts)])
    page.save_revision().publish()
    return EpisodePage.objects.get(pk=page.pk)


@pytest.fixture
def episode(series):
    return make_episode(series, live=True)


@pytest.fixture
def moderator(make_staff):
    return make_staff(roles.MODERATORS)


@pytest.fixture
def viewer(customer):
    return customer
