"""The forum: boards in the Wagtail tree, threads and posts, moderation, queues and notifications."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Forum")

    def ready(self):
        from forum import caching

        caching.connect()
