"""Forum page types: the forum index and its boards. Threads and posts (Django models) come with the forum."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class ForumIndexPage(Page):
    section_key = "forum"  # names the area for the theme (icon, navigation)
    intro = models.CharField(_("introduction"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["forum.BoardPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("forum index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["boards"] = BoardPage.objects.child_of(self).live().public().order_by("path")
        return context


class BoardPage(Page):
    description = models.CharField(_("description"), max_length=255, blank=True)
    rules = models.TextField(_("rules"), blank=True)
    first_response_hours = models.PositiveSmallIntegerField(_("first-response target (hours)"), default=24)

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        FieldPanel("rules"),
        FieldPanel("first_response_hours"),
    ]
    parent_page_types = ["forum.ForumIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("board")
