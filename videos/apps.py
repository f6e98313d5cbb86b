"""Expert video programmes: series, episodes, live broadcasts with Q&A, replays and transcripts."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideosConfig(AppConfig):
    name = "videos"
    verbose_name = _("Videos")

    def ready(self):
        from wagtail.signals import page_published, page_unpublished

        from videos.queries import forget_episode_meta

        # The poll endpoint's per-process memo of episode times and switch: a publish makes it stale here.
        for signal in (page_published, page_unpublished):
            signal.connect(forget_episode_meta, dispatch_uid=f"videos:meta:{id(signal)}")
