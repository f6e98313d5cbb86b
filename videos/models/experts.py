"""Experts: one snippet per person, reused by every episode (and series host) they appear in."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index


class Expert(index.Indexed, models.Model):
    """A guest or host. Chinese fields are the defaults; the `_en` fields are shown to English readers
    (empty ones fall back to the Chinese, so a name is never missing)."""

    name = models.CharField(_("name"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    job_title = models.CharField(_("title"), max_length=120, blank=True)
    job_title_en = models.CharField(_("title (English)"), max_length=120, blank=True)
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    organisation_en = models.CharField(_("organisation (English)"), max_length=120, blank=True)
    # Nullable: an expert may have no photo; deleting the image keeps the expert.
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("photo"),
    )
    bio = models.TextField(_("biography"), blank=True)
    bio_en = models.TextField(_("biography (English)"), blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("job_title"), FieldPanel("organisation"), FieldPanel("bio")],
            heading=_("Chinese"),
        ),
        MultiFieldPanel(
            [FieldPanel("name_en"), FieldPanel("job_title_en"), FieldPanel("organisation_en"), FieldPanel("bio_en")],
            heading=_("English"),
        ),
        FieldPanel("photo"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("name_en"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def localized(self, language):
        """{name, title, organisation, bio} in `language`, English falling back to Chinese field by field."""
        english = (language or "").startswith("en")

        def pick(field):
            value = getattr(self, f"{field}_en") if english else ""
            return value or getattr(self, field)

        return {
            "name": pick("name"),
            "title": pick("job_title"),
            "organisation": pick("organisation"),
            "bio": pick("bio"),
        }
