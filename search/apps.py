"""The search app: connects the content apps' signals to the indexing outbox when Django starts, and warms
search in the background when a server process gets its first request."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "portal_search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from search import handlers, searchlog, warmup

        handlers.connect()
        warmup.connect()
        searchlog.connect()
