"""Forms of the videos area: the wagtailmedia upload form (content checks) and the live question form."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtailmedia.forms import BaseMediaForm

EBML_MAGIC = b"\x1a\x45\xdf\xa3"  # Matroska / WebM


def sniff_video(head):
    """ "mp4", "webm" or None from the first bytes of a file (its content, never its name)."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    if head[:4] == EBML_MAGIC and b"webm" in head[:64]:
        return "webm"
    return None


def check_video_upload(upload):
    """Refuse a file that is too big or is not an MP4/WebM video; returns the kind found."""
    limit = settings.PORTAL_VIDEOS_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            _("This file is %(size)s; videos may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_big",
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(64)
    upload.seek(position)
    kind = sniff_video(head)
    if kind is None:
        raise forms.ValidationError(
            _("This file is not an MP4 or WebM video (we check the content, not the name)."), code="not_video"
        )
    return kind


class VideoUploadForm(BaseMediaForm):
    """wagtailmedia's form (settings.WAGTAILMEDIA["MEDIA_FORM_BASE"]) with the content and size checks."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:  # a new upload (an edit that keeps the file is not re-read)
            check_video_upload(upload)
        return upload


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your question"),
        widget=forms.Textarea(attrs={"rows": 3}),
        strip=True,
        error_messages={"required": gettext_lazy("Please write your question.")},
    )

    def clean_text(self):
        text = self.cleaned_data["text"]
        limit = settings.PORTAL_VIDEOS_QUESTION_MAX_CHARS
        if len(text) > limit:
            raise forms.ValidationError(
                _("Please keep your question under %(limit)d characters (it has %(count)d).")
                % {"limit": limit, "count": len(text)}
            )
        return text


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Answer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Please write the answer.")},
    )
