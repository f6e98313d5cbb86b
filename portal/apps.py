"""The portal app: settings, accounts, the home page and what every area shares (sanitising, page cache)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import PageLogEntry, PageViewRestriction, Site

        from portal.core import workflows

        workflows.connect()  # workflow and task names in the reader's language

        # Every publish, unpublish, move, delete or privacy change in Wagtail writes a page log entry:
        # navigation and listings are on every page, so each one makes every cached page stale.
        post_save.connect(_pages_changed, sender=PageLogEntry, dispatch_uid="portal-pagecache-pages")
        # Sites decide which home page and addresses a request gets (portal/core/sites.py keeps them per process).
        post_save.connect(_pages_changed, sender=Site, dispatch_uid="portal-pagecache-site-saved")
        post_delete.connect(_pages_changed, sender=Site, dispatch_uid="portal-pagecache-site-deleted")
        # Routes keep each page's view restrictions per process (portal/core/routes.py). Saving or deleting one
        # writes a log entry (above); deleting through a queryset does not, so that is caught here.
        post_delete.connect(
            _pages_changed, sender=PageViewRestriction, dispatch_uid="portal-pagecache-restriction-deleted"
        )


def _pages_changed(sender, **kwargs):
    from portal.core import pagecache

    pagecache.bump_on_commit(pagecache.ALWAYS)
