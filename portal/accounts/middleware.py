"""Staff must enrol in MFA: until they have a TOTP authenticator, every page sends them to set one up."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from portal.core.policies import AccountPolicy

SESSION_FLAG = "portal_mfa_checked"


class StaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_enrol(request):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _must_enrol(self, request):
        user = getattr(request, "user", None)
        if not settings.PORTAL_STAFF_MFA_REQUIRED or user is None or not user.is_authenticated:
            return False
        if request.session.get(SESSION_FLAG) == user.pk:
            return False
        path = request.path_info
        # Allow the pages needed to enrol (and to leave).
        if "/accounts/" in path or path.startswith((settings.STATIC_URL, settings.MEDIA_URL, "/i18n/")):
            return False
        if not AccountPolicy.must_use_mfa(user) or AccountPolicy.has_mfa(user):
            request.session[SESSION_FLAG] = user.pk
            return False
        return True
