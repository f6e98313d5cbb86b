"""Knowledge-base page types: the index, (nestable) categories and, later, articles."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class KnowledgeIndexPage(Page):
    section_key = "kb"  # names the area for the theme (icon, navigation)
    intro = models.CharField(_("introduction"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["kb.CategoryPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("knowledge base index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["categories"] = CategoryPage.objects.child_of(self).live().public().order_by("path")
        return context


class CategoryPage(Page):
    intro = models.CharField(_("introduction"), max_length=255, blank=True)
    icon = models.CharField(_("icon"), max_length=40, blank=True, help_text=_("Name of a theme icon, e.g. 'card'."))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("icon")]
    parent_page_types = ["kb.KnowledgeIndexPage", "kb.CategoryPage"]
    subpage_types = ["kb.CategoryPage"]

    class Meta:
        verbose_name = _("knowledge base category")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["subcategories"] = CategoryPage.objects.child_of(self).live().public().order_by("path")
        return context
