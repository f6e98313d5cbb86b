"""Staff must enrol in MFA: until they have a TOTP authenticator, every page sends them to set one up.

And a signed-in person without the role for an admin gets the 403 page there: both admins would otherwise send
them to sign in, and allauth sends a signed-in person straight back (an endless redirect loop).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
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


class AdminAccessMiddleware:
    PREFIXES = (("/admin/", AccountPolicy.can_use_admin), ("/django-admin/", AccountPolicy.can_use_django_admin))

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None  # strangers are sent to sign in, as the admins do
        for prefix, allowed in self.PREFIXES:
            if request.path_info.startswith(prefix) and not allowed(user):
                raise PermissionDenied
        return None
