"""Forms of the knowledge base's reader actions. Messages are translated and say what to do."""

from django import forms
from django.utils.translation import gettext_lazy as _

COMMENT_MAX = 1000


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("Was this helpful?"),
        choices=[("yes", _("Yes, it helped")), ("no", _("No, it didn't"))],
        coerce=lambda value: value == "yes",
        error_messages={"required": _("Please choose Yes or No."), "invalid_choice": _("Please choose Yes or No.")},
    )
    comment = forms.CharField(
        label=_("What could we improve? (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX}),
        help_text=_("Please don't include card numbers, passwords or verification codes."),
        error_messages={
            "max_length": _("Please keep your comment under %(limit_value)d characters (it has %(show_value)d)."),
        },
    )
