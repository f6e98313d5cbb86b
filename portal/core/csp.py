"""Content-Security-Policy: strict for the public site, relaxed just enough for Wagtail's admin.

The strict policy (settings.CONTENT_SECURITY_POLICY) is the second wall behind the sanitiser: even if
markup slipped through, no inline or foreign script could run on a customer page.
"""

from csp.middleware import CSPMiddleware

# Both admins use inline styles (style attributes) and blob:/data: images (image previews).
ADMIN_UPDATE = {"style-src": ["'unsafe-inline'"], "img-src": ["blob:"]}
# Only Wagtail's admin runs inline <script> elements. In Wagtail 8.0.1 these are all of them (every other <script>
# in its templates has a src under 'self', or is json_script data, which never runs):
#   - wagtail/admin/widgets/chooser.py, BaseChooser.render: `<script>new PageChooser("<id>", {...})</script>`
#     after every chooser widget (page, image, document, snippet, task; wagtailmedia's media chooser too);
#   - wagtailadmin/panels/inline_panel.html (`new InlinePanel(...)`: an article's related articles, the forum
#     board's moderators) and wagtailadmin/panels/multiple_chooser_panel.html (`new MultipleChooserPanel(...)`);
#   - wagtailadmin/widgets/date_input.html, time_input.html, datetime_input.html (`initDateChooser(...)` etc.:
#     go-live/expiry, review-by, air times).
# Why neither a hash nor a django-csp nonce can replace 'unsafe-inline' here (checked against Wagtail 8.0.1):
#   - hashes: each script embeds its field's id, name and current value (the chosen page's title and edit URL),
#     so the text differs per field and per page; hashing what the response contains would bless an injected
#     script just the same, which is no better than 'unsafe-inline';
#   - nonces: Wagtail prints these scripts without a nonce and offers no hook for one (BaseChooser.render builds
#     the string itself), so it would take patching that method and overriding the five templates. Even then,
#     scripts Wagtail re-runs in the browser lose it: its runInlineScripts helper (vendor.js, used for HTML it
#     swaps in) re-creates each inline script by copying its attributes, and the browser blanks a nonce
#     attribute once the element is in a page with a CSP header, so the copy carries nonce="" and is blocked
#     (reproduced in Chromium: "Executing inline script violates ... script-src 'self' 'nonce-…'");
#   - 'strict-dynamic' would let such script-made scripts run, but it also voids 'self', and Wagtail's dozens
#     of <script src> tags carry no nonce either.
# So /admin/ keeps script-src 'unsafe-inline' (staff only, behind two-factor sign-in); everything else, Django's
# admin (/django-admin/) included, gets the strict script-src 'self'. No inline event handlers or javascript:
# URLs are needed by either admin.
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
