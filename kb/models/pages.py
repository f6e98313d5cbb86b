"""Knowledge-base page types: the index, nestable categories and FAQ articles.

Pages hold content and hand their context to kb.queries / kb.rendering, computed once per request. Who may
see what is asked of kb.policies.KBPolicy. Routing below the index is one query (`KnowledgeIndexPage.route`)
instead of Wagtail's two per level; anonymous readers get pages from the site's page cache (portal.core.pagecache).
"""

from http import HTTPMethod

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from kb.blocks import AnswerBlock
from kb.models.choices import Audience, Channel
from kb.panels import FeedbackSummaryPanel
from portal.core.audiences import ARTICLE_AUDIENCES
from portal.core.pageforms import PortalPageForm

NOTE_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link", "document-link"]
READ_ONLY_METHODS = [HTTPMethod.GET, HTTPMethod.HEAD, HTTPMethod.OPTIONS]


class KBPageMixin:
    """Serving shared by the three KB page types: 404 for what the reader may not see and read-only HTTP
    methods (feedback and uses are posted to kb.views)."""

    allowed_http_methods = READ_ONLY_METHODS

    def get_sitemap_urls(self, request=None):
        """This page and its translations outside the site's tree, listed as alternates of each other.

        Only public pages: an agents-only article (and its translations' entries) never appears.
        """
        from kb import queries

        return queries.sitemap_entries(self, request)


class KnowledgeIndexPage(KBPageMixin, Page):
    section_key = "kb"  # names the area for the theme (icon, navigation)
    intro = models.CharField(_("introduction"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["kb.CategoryPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("knowledge base index")

    def route(self, request, path_components):
        """Find the category or article at `path_components` below this index with one query.

        Wagtail's default walks the tree with two queries per level. An article missing in this language
        but present in another routes to a redirect there (see `serve`).
        """
        if not path_components:
            return super().route(request, path_components)
        from kb import queries

        page = queries.page_below_index(self, path_components)
        if page is None:
            fallback = queries.translation_fallback(self, path_components)
            if fallback is not None:
                return RouteResult(self, kwargs={"kb_fallback": fallback})
            raise Http404
        if not page.live:
            raise Http404
        return RouteResult(page)

    def serve(self, request, *args, **kwargs):
        fallback = kwargs.pop("kb_fallback", None)
        if fallback is not None:
            from kb.policies import KBPolicy

            if not KBPolicy.can_view(request.user, fallback):
                raise Http404
            language = self.locale.language_code
            return HttpResponseRedirect(f"{fallback.get_url(request)}?from={language}")
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from kb import queries

        context = super().get_context(request, *args, **kwargs)
        context.update(queries.index_context(self, request))
        return context


class CategoryPage(KBPageMixin, Page):
    intro = models.CharField(_("introduction"), max_length=255, blank=True)
    icon = models.CharField(_("icon"), max_length=40, blank=True, help_text=_("Name of a theme icon, e.g. 'card'."))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("icon")]
    parent_page_types = ["kb.KnowledgeIndexPage", "kb.CategoryPage"]
    subpage_types = ["kb.CategoryPage", "kb.ArticlePage"]

    class Meta:
        verbose_name = _("knowledge base category")

    def get_context(self, request, *args, **kwargs):
        from kb import queries

        context = super().get_context(request, *args, **kwargs)
        context.update(queries.category_context(self, request))
        return context


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey("kb.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        verbose_name = _("article tag")
        verbose_name_plural = _("article tags")


class ArticleRelation(Orderable):
    """A "related article" link, in the order the editor chose."""

    page = ParentalKey("kb.ArticlePage", on_delete=models.CASCADE, related_name="related_links")
    target = models.ForeignKey("kb.ArticlePage", verbose_name=_("article"), on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("target")]

    class Meta(Orderable.Meta):
        verbose_name = _("related article")
        verbose_name_plural = _("related articles")


class ArticlePageForm(PortalPageForm):
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Where the customer does what this article describes."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "article_owner" in self.fields:
            from kb.policies import KBPolicy

            self.fields["article_owner"].queryset = KBPolicy.possible_article_owners()

    def _slug_used_in_language(self, slug):
        others = ArticlePage.objects.filter(slug=slug, locale_id=self.instance.locale_id)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        return others.exists()

    def slug_is_free(self, slug):
        # Articles are found by (slug, language) across categories (imports, links): made slugs avoid both.
        return super().slug_is_free(slug) and not self._slug_used_in_language(slug)

    def clean(self):
        cleaned = super().clean()
        slug = cleaned.get("slug")
        if slug and self.instance is not None and self._slug_used_in_language(slug):
            self.add_error("slug", _("Another article in this language already uses this slug."))
        return cleaned


class ArticlePage(KBPageMixin, Page):
    """One question and its answer. The title is the question."""

    short_answer = models.TextField(
        _("short answer"),
        max_length=500,
        help_text=_("One or two plain sentences an agent can read aloud."),
    )
    answer = StreamField(AnswerBlock(), verbose_name=_("full answer"))
    tags = ClusterTaggableManager(
        verbose_name=_("products and tags"), through=ArticleTag, blank=True, related_name="kb_articles"
    )
    channels = models.JSONField(_("channels"), default=list, blank=True)  # a list of Channel values
    audience = models.CharField(
        _("audience"), max_length=10, choices=ARTICLE_AUDIENCES, default=Audience.PUBLIC, db_index=True
    )
    agent_notes = RichTextField(
        _("agent notes"),
        blank=True,
        features=NOTE_FEATURES,
        help_text=_("Shown to call-centre agents only, never to customers."),
    )
    # Wagtail's own Page.owner is the page's creator and is kept out of revisions, so the person who
    # answers for the content is a field of its own. Null when nobody owns the article yet.
    article_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="kb_owned_articles",
        help_text=_("Receives readers' comments and answers for keeping the article correct."),
    )
    # Null when no review is planned; the needs-review report lists articles past this date.
    review_by = models.DateField(_("review by"), null=True, blank=True)

    content_panels = [
        FieldPanel("title", heading=_("Question")),
        FieldPanel("short_answer"),
        FieldPanel("answer"),
        MultiFieldPanel(
            [FieldPanel("tags"), FieldPanel("channels")],
            heading=_("Products and channels"),
        ),
        InlinePanel("related_links", heading=_("Related articles"), label=_("related article")),
        MultiFieldPanel(
            [FieldPanel("audience"), FieldPanel("agent_notes")],
            heading=_("Audience and agent notes"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("article_owner"), FieldPanel("review_by")])],
            heading=_("Ownership"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
            ObjectList([FeedbackSummaryPanel(heading=_("Readers and agents"))], heading=_("Feedback")),
        ]
    )
    base_form_class = ArticlePageForm
    parent_page_types = ["kb.CategoryPage"]
    subpage_types = []

    # Wagtail's built-in index serves only the admin's page search (staff, who may find agents-only
    # articles there; customers search through search/, which filters by audience). kb.handlers keeps it
    # on publish, unpublish and delete rather than on every save: a publish saves the page three times.
    search_auto_update = False
    search_fields = [
        *Page.search_fields,
        index.SearchField("short_answer"),
        index.SearchField("answer"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("audience"),
    ]

    class Meta:
        verbose_name = _("knowledge base article")
        verbose_name_plural = _("knowledge base articles")

    def clean(self):
        super().clean()
        unknown = sorted(set(self.channels or []) - set(Channel.values))
        if unknown:
            raise ValidationError({"channels": _("Unknown channel: %(name)s") % {"name": ", ".join(unknown)}})

    # --- What the search side (and the export) reads --------------------------------------------------
    def plain_answer_text(self):
        """The full answer as plain text: headings, paragraphs, numbered steps, notices and table cells."""
        from kb.content import stream_to_text

        return stream_to_text(self.answer)

    def tag_names(self):
        return sorted(tag.name for tag in self.tags.all())

    def channel_labels(self):
        labels = dict(Channel.choices)
        return [labels[code] for code in self.channels or [] if code in labels]

    def category_pages(self):
        """The categories from the top down to this article's own (one query)."""
        return list(CategoryPage.objects.ancestor_of(self).order_by("depth"))

    def category_path(self):
        """Slugs of the categories from the top, e.g. "personal-ebanking/transfers" (the import format)."""
        return "/".join(category.slug for category in self.category_pages())

    def category_titles(self):
        return [category.title for category in self.category_pages()]

    @property
    def is_agents_only(self):
        return self.audience == Audience.AGENTS

    def description(self):
        """Short text for meta description and OpenGraph."""
        return Truncator(strip_tags(self.short_answer)).chars(160)

    def serve(self, request, *args, **kwargs):
        from kb.policies import KBPolicy

        if not KBPolicy.can_view(request.user, self):
            raise Http404  # not 403: a customer must not learn that an agents-only article exists
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from kb import queries

        context = super().get_context(request, *args, **kwargs)
        context.update(queries.article_context(self, request))
        return context
