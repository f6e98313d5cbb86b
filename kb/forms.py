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


IMPORT_MAX_BYTES = 20 * 1024 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("JSON Lines (.jsonl) or CSV (.csv), UTF-8, in the kb_import format; up to 20 MB."),
        error_messages={"required": _("Choose a file to upload."), "empty": _("The file is empty.")},
    )
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("From the file name")), ("jsonl", "JSON Lines"), ("csv", "CSV")],
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)d MB; split it into files of up to 20 MB.")
                % {"size": upload.size // (1024 * 1024)}
            )
        return upload


class ExportForm(forms.Form):
    file_format = forms.ChoiceField(label=_("Format"), choices=[("csv", "CSV"), ("jsonl", "JSON Lines")])
    locale = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["locale"].choices = [("", _("Both languages")), *settings.LANGUAGES]
