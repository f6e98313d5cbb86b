"""Video page types: the video index and series. Episodes, live Q&A and transcripts come with the videos issue."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class VideoIndexPage(Page):
    section_key = "videos"  # names the area for the theme (icon, navigation)
    intro = models.CharField(_("introduction"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["videos.SeriesPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("video index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["series_list"] = SeriesPage.objects.child_of(self).live().public().order_by("path")
        return context


class SeriesPage(Page):
    description = models.TextField(_("description"), blank=True)
    schedule = models.CharField(_("schedule"), max_length=120, blank=True, help_text=_("e.g. 'Every Friday 19:30'"))

    content_panels = [*Page.content_panels, FieldPanel("description"), FieldPanel("schedule")]
    parent_page_types = ["videos.VideoIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("video series")
