"""Profile form. The avatar is a plain file field: portal.core.images decides what counts as a picture."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=40,
        required=False,
        help_text=_("Shown next to your posts. Leave empty to stay anonymous."),
    )
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    avatar = forms.FileField(
        label=_("Avatar"),
        required=False,
        help_text=_("JPEG, PNG, GIF or WebP, up to 5 MB. We resize it and remove photo metadata."),
    )
    remove_avatar = forms.BooleanField(label=_("Remove my avatar"), required=False)

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if any(ord(ch) < 32 or ch in "<>" for ch in name):
            raise forms.ValidationError(_("The display name cannot contain < or > or control characters."))
        return name
