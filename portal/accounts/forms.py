"""Profile form. The avatar is a plain file field: portal.core.images decides what counts as a picture."""

import binascii
import logging

from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


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


class DamagedSecretMixin:
    """allauth's code check, except that a stored TOTP secret that no longer decodes is a message, not a 500.

    Such a secret can come from a bad import or an old demo. The other authenticators (recovery codes) are
    still tried, so the person can sign in with one of those, and the message says what to do next.
    """

    def clean_code(self):
        from allauth.mfa.adapter import get_adapter
        from allauth.mfa.base.internal.flows import check_rate_limit
        from allauth.mfa.models import Authenticator

        clear_rate_limit = check_rate_limit(self.user)
        code = self.cleaned_data["code"]
        main, damaged = None, False
        for authenticator in Authenticator.objects.filter(user=self.user).exclude(type=Authenticator.Type.WEBAUTHN):
            if main is None or authenticator.type == Authenticator.Type.TOTP:
                main = authenticator
            try:
                valid = authenticator.wrap().validate_code(code)
            except (binascii.Error, ValueError):
                logger.warning("Stored TOTP secret of user %s does not decode", self.user.pk)
                damaged = True
                continue
            if valid:
                authenticator.user = self.user
                self.authenticator = authenticator
                clear_rate_limit()
                return code
        if main is not None:
            self._emit_authentication_failed(main)
        if damaged:
            raise forms.ValidationError(
                _(
                    "Your two-factor key is damaged, so no code can match it. Sign in with a recovery code, "
                    "or ask an administrator to reset your two-factor sign-in."
                ),
                code="damaged_secret",
            )
        raise get_adapter().validation_error("incorrect_code")


class MFAAuthenticateForm(DamagedSecretMixin, AuthenticateForm):
    pass


class MFAReauthenticateForm(DamagedSecretMixin, ReauthenticateForm):
    pass
