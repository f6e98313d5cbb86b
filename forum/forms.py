"""Forms of the forum: they parse and bound what people type; forum/actions.py decides what it means.

Every form keeps its data when an action refuses (rate limit, duplicate, bad picture), so the text the
customer typed is never lost.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.models import AnswerRating, Flag


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Up to PORTAL_FORUM_MAX_IMAGES pictures; each is validated later by portal.core.images.process_image."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


BODY_WIDGET = forms.Textarea(attrs={"rows": 8, "data-forum-editor": "", "maxlength": 20000})


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        widget=BODY_WIDGET,
        max_length=20000,
        help_text=_("Markdown: **bold**, *italic*, > quote, - list, [link](https://…). Mention someone with @name."),
    )
    images = MultipleImageField(label=_("Pictures"), help_text=_("JPEG, PNG, GIF or WebP, up to 5 MB each."))
    official = forms.BooleanField(label=_("Post as the official answer"), required=False, initial=True)

    def __init__(self, *args, moderator=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not moderator:
            del self.fields["official"]


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("Your question in one sentence."))
    body = forms.CharField(
        label=_("Details"),
        widget=BODY_WIDGET,
        max_length=20000,
        help_text=_("Describe what happened. Never post card numbers, ID numbers, passwords or codes."),
    )
    images = MultipleImageField(label=_("Pictures"), help_text=_("JPEG, PNG, GIF or WebP, up to 5 MB each."))
    poll_question = forms.CharField(label=_("Poll question"), max_length=200, required=False)
    poll_options = forms.CharField(
        label=_("Poll options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One option per line, 2 to 10 options."),
    )
    poll_multiple = forms.BooleanField(label=_("Allow several choices"), required=False)
    poll_closes_at = forms.DateTimeField(
        label=_("Poll closes at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    POLL_FIELDS = ("poll_question", "poll_options", "poll_multiple", "poll_closes_at")

    def __init__(self, *args, polls=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not polls:
            for name in self.POLL_FIELDS:
                del self.fields[name]

    def poll(self):
        """The poll spec for forum.actions.create_thread, or None when no options were given."""
        if "poll_options" not in self.fields:
            return None
        options = [line.strip() for line in self.cleaned_data.get("poll_options", "").splitlines() if line.strip()]
        if not options:
            return None
        return {
            "question": self.cleaned_data.get("poll_question", ""),
            "options": options,
            "multiple": self.cleaned_data.get("poll_multiple", False),
            "closes_at": self.cleaned_data.get("poll_closes_at"),
        }

    def basic_fields(self):
        return [self[name] for name in ("title", "body", "images")]

    def poll_fields(self):
        return [self[name] for name in self.POLL_FIELDS if name in self.fields]


class EditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=BODY_WIDGET, max_length=20000)
    reason = forms.CharField(
        label=_("Reason for the edit"),
        max_length=255,
        required=False,
        help_text=_("Shown in the edit history and, for moderators, in the audit log."),
    )
    # The post's edit count when the form was opened: a save over someone else's edit is a conflict.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, with_title=False, reason_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_title:
            del self.fields["title"]
        self.fields["reason"].required = reason_required


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why are you reporting this post?"), choices=Flag.Reason.choices)
    note = forms.CharField(label=_("Anything else a moderator should know?"), max_length=500, required=False)


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=AnswerRating.Rating.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def thread_ref(value):
    """A thread number from "123" or a thread URL ".../t/123-title/"."""
    value = (value or "").strip()
    match = re.search(r"/t/(\d+)", value) or re.fullmatch(r"#?(\d+)", value)
    return int(match.group(1)) if match else None


class MoveForm(forms.Form):
    board = forms.TypedChoiceField(label=_("Move to board"), coerce=int)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args, boards=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].choices = [(board.pk, board.title) for board in boards]


class MergeForm(forms.Form):
    target = forms.CharField(
        label=_("Merge into thread"), max_length=300, help_text=_("The thread's number or its address.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def clean_target(self):
        number = thread_ref(self.cleaned_data["target"])
        if number is None:
            raise forms.ValidationError(_("Enter a thread number or a thread's address."))
        return number


class SplitForm(forms.Form):
    title = forms.CharField(label=_("Title of the new thread"), max_length=200)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class DuplicateForm(forms.Form):
    target = forms.CharField(
        label=_("Duplicate of"),
        max_length=500,
        help_text=_("A thread number or address, or the address of a knowledge-base article."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class SanctionForm(forms.Form):
    KINDS = [
        ("warn", _("Warn")),
        ("suspend", _("Suspend")),
        ("ban", _("Ban")),
        ("lift", _("Lift suspension or ban")),
    ]
    kind = forms.ChoiceField(label=_("Action"), choices=KINDS)
    days = forms.IntegerField(label=_("Days (suspension)"), min_value=1, max_value=365, required=False, initial=7)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
