"""Content-Security-Policy: strict for the public site, relaxed just enough for Wagtail's admin.

The strict policy (settings.CONTENT_SECURITY_POLICY) is the second wall behind the sanitiser: even if
markup slipped through, no inline or foreign script could run on a customer page.
"""

from csp.middleware import CSPMiddleware

# Both admins use inline styles (style attributes) and blob:/data: images (image previews).
ADMIN_UPDATE = {"style-src": ["'unsafe-inline'"], "img-src": ["blob:"]}
# Only Wagtail's admin runs inline <script> elements, and only these, whose content is built per field (so no
# hash can name them, and Wagtail prints them without a nonce): every chooser widget (page, image, document,
# snippet: wagtail/admin/widgets/chooser.py BaseChooser.render), inline panels and multiple-chooser panels
# (wagtailadmin/panels/inline_panel.html, multiple_chooser_panel.html) and the date, time and date-time
# widgets (wagtailadmin/widgets/*_input.html). Django's admin (/django-admin/) needs none, so it gets the
# strict script-src 'self'; no inline event handlers or javascript: URLs are needed by either.
WAGTAIL_ADMIN_UPDATE = {**ADMIN_UPDATE, "script-src": ["'unsafe-inline'"]}


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        if request.path_info.startswith("/admin/"):
            parts.update = {**WAGTAIL_ADMIN_UPDATE, **(parts.update or {})}
        elif request.path_info.startswith("/django-admin/"):
            parts.update = {**ADMIN_UPDATE, **(parts.update or {})}
        return parts
