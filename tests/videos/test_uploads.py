"""Bad input on the editor's side: uploads that are not videos or too big, malformed WebVTT, foreign embeds."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtailmedia.forms import get_media_form
from wagtailmedia.models import Media

from tests.videos.conftest import make_episode, vtt_document
from videos.models import EpisodePage

pytestmark = pytest.mark.django_db
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 200
WEBM = (
    b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm" + b"\0" * 64
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def _form(user, name, content):
    from wagtail.models import Collection

    form_class = get_media_form(Media)
    data = {"title": "clip", "collection": Collection.get_first_root_node().pk, "duration": "10"}
    return form_class(data, {"file": SimpleUploadedFile(name, content)}, instance=Media(type="video"), user=user)


@pytest.fixture
def editor(make_staff):
    from portal.core import roles

    return make_staff(roles.EDITORS, is_superuser=True)


@pytest.mark.parametrize(("name", "content"), [("lesson.mp4", MP4), ("lesson.webm", WEBM)], ids=["mp4", "webm"])
def test_real_video_content_is_accepted(editor, name, content):
    form = _form(editor, name, content)

    assert form.is_valid(), form.errors


def test_a_picture_named_like_a_video_is_refused_by_its_content(editor):
    form = _form(editor, "lesson.mp4", PNG)

    assert not form.is_valid()
    assert form.errors["file"] == ["这个文件不是 MP4 或 WebM 视频（我们检查的是文件内容，而不是文件名）。"]


def test_a_video_over_the_configured_limit_is_refused(editor, settings):
    settings.PORTAL_VIDEOS_UPLOAD_MAX_BYTES = 100

    form = _form(editor, "lesson.mp4", MP4)

    assert not form.is_valid()
    assert form.errors["file"] == ["这个文件大小为 224\xa0字节；视频最大为 100\xa0字节。"]


def test_malformed_webvtt_is_reported_line_by_line_and_the_episode_is_kept(series):
    page = make_episode(series, lines=2)
    before = (page.title, page.transcript)
    page.title = "改过的标题"
    page.captions_en = vtt_document(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nfine\n\n00:0x:03.000 --> 00:00:04.000\nbad time\n\n"
        "just some words\n\n00:00:09.000 --> 00:00:08.000\nbackwards\n"
    )

    with pytest.raises(ValidationError) as raised:
        page.full_clean()

    assert raised.value.message_dict["captions_en"] == [
        "第 6 行：字幕时间 00:0x:03.000 --> 00:00:04.000 无效。",
        "第 9 行：应为字幕时间，例如 00:01:02.000 --> 00:01:05.000。",
        "第 11 行：字幕的结束时间早于开始时间。",
    ]
    stored = EpisodePage.objects.get(pk=page.pk)
    assert (stored.title, stored.transcript) == before


def test_chapters_are_filled_from_a_webvtt_chapters_file(series):
    page = make_episode(series, chapters=0, lines=0)
    page.chapters_file = vtt_document(
        "WEBVTT\n\n00:00:00.000 --> 00:02:00.000\n开场\n\n00:12:34.000 --> 00:20:00.000\n提问\n"
    )

    page.full_clean()

    assert page.chapter_list() == [
        {"start": 0, "label": "0:00", "title": "开场"},
        {"start": 754, "label": "12:34", "title": "提问"},
    ]
    assert page.chapters_file is None


def test_embeds_only_from_allowed_providers(series, settings):
    settings.PORTAL_VIDEOS_EMBED_PROVIDERS = {"player.example-video.test": "Example"}
    page = make_episode(series, lines=0)
    page.embed_url = "https://evil.example.com/player?id=1"

    with pytest.raises(ValidationError) as raised:
        page.full_clean()
    assert list(raised.value.message_dict) == ["embed_url"]

    page.embed_url = "https://player.example-video.test/embed/42"
    page.full_clean()
