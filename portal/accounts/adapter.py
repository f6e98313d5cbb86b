"""allauth adapter: new accounts keep the language they signed up in; mail goes out in the user's language,
through the core's retrying, send-once mail task (portal/core/mail.py), so an SMTP outage loses no verification
or password-reset mail."""

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.urls import translate_url
from django.utils import translation

from portal.core.mail import queue_mail


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
        """allauth's own send_mail, but the rendered message is queued instead of sent in the request: the relay
        being down then delays it (retried with backoff) instead of losing it or answering the customer 500.
        Each call is one event (a new link in it), so it gets a key of its own; the key keeps a retried or
        re-run task from sending it twice."""
        user = context.get("user")
        language = getattr(user, "preferred_language", None) or translation.get_language()
        request = allauth_context.request
        with translation.override(language):
            message = self.render_mail(
                template_prefix,
                email,
                {"request": request, "email": email, "current_site": get_current_site(request), **context},
            )
        queue_mail(f"account.{template_prefix.rpartition('/')[2]}:{uuid.uuid4().hex}", message)

    def get_login_redirect_url(self, request):
        """After signing in, continue in the customer's preferred language (unless ?next= says where)."""
        url = super().get_login_redirect_url(request)
        language = getattr(request.user, "preferred_language", "") or settings.LANGUAGE_CODE
        if url == settings.LOGIN_REDIRECT_URL and language != settings.LANGUAGE_CODE:
            return f"/{language}/"
        return translate_url(url, language) if url.startswith("/") else url
