"""allauth adapter: new accounts keep the language they signed up in; mail goes out in the user's language."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import translate_url
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """allauth's own rate limits (login, sign-up, reset) count the client the portal counts."""
        from django.core.exceptions import PermissionDenied

        from portal.core.net import client_ip

        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def save_user(self, request, user, form, commit=True):
        user.preferred_language = translation.get_language() or "zh-hans"
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        language = getattr(user, "preferred_language", None) or translation.get_language()
        with translation.override(language):
            return super().send_mail(template_prefix, email, context)

    def get_login_redirect_url(self, request):
        """After signing in, continue in the customer's preferred language (unless ?next= says where)."""
        url = super().get_login_redirect_url(request)
        language = getattr(request.user, "preferred_language", "") or settings.LANGUAGE_CODE
        if url == settings.LOGIN_REDIRECT_URL and language != settings.LANGUAGE_CODE:
            return f"/{language}/"
        return translate_url(url, language) if url.startswith("/") else url
