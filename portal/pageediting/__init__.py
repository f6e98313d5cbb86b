"""Makes portal.core.pageforms.PortalPageForm the admin form of every page type.

Wagtail's admin app sets `Page.base_form_class` in its own ready(); this app is listed after it in
INSTALLED_APPS, so its ready() runs later and its choice stands (tests/portal/test_slugs.py checks that
every page type ends up with the form).
"""
