"""The home page: the front door that links into every area of the service centre."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class HomePage(Page):
    hero_title = models.CharField(_("hero title"), max_length=120)
    hero_text = models.CharField(_("hero text"), max_length=255, blank=True)
    service_hours = models.CharField(_("service hours"), max_length=120, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("service_hours"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from portal.core.navigation import site_sections

        context = super().get_context(request, *args, **kwargs)
        context["sections"] = site_sections(request, home=self)
        from videos.queries import next_broadcast

        context["next_broadcast"] = next_broadcast(self.locale_id)
        return context
