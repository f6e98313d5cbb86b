"""Knowledge base: FAQ categories and articles that customers read and agents read aloud."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = _("Knowledge base")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kb import handlers, views
        from portal.core import pagecache

        handlers.connect()
        pagecache.register_fragment("kb-feedback", views.feedback_fragment)
