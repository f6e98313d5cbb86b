"""Content-Security-Policy: strict for the public site, relaxed just enough for Wagtail's admin.

The strict policy (settings.CONTENT_SECURITY_POLICY) is the second wall behind the sanitiser: even if
markup slipped through, no inline or foreign script could run on a customer page.
"""

from csp.middleware import CSPMiddleware

# Wagtail's admin and allauth's MFA screens use inline styles, and the admin uses blob:/data: images.
ADMIN_UPDATE = {"style-src": ["'unsafe-inline'"], "img-src": ["blob:"], "script-src": ["'unsafe-inline'"]}


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(("/admin/", "/django-admin/")):
            parts.update = {**ADMIN_UPDATE, **(parts.update or {})}
        return parts
