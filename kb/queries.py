"""Read-side queries of the knowledge base, each run once per request with a fixed number of SQL queries
whatever the number of articles, tags or related links (tests/kb/test_query_counts.py holds us to it).

Every listing goes through KBPolicy.visible_articles, so agents-only articles never reach a customer's
listing, count, related links, sitemap or feed.
"""

from django.conf import settings
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Length, Substr
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from wagtail.models import Page

from kb.models import ArticlePage, ArticleRelation, ArticleStats, CategoryPage, KnowledgeIndexPage
from kb.policies import KBPolicy
from portal.core import pagecache
from portal.core.audiences import Audience

LANGUAGE_BADGES = {"zh-hans": "中文", "en": "English"}
OG_LOCALES = {"zh-hans": "zh_CN", "en": "en_US"}
HREFLANGS = {"zh-hans": "zh-Hans", "en": "en"}
POPULAR_LIMIT = 6
RECENT_LIMIT = 6
LISTING_FIELDS_DEFERRED = ("answer", "agent_notes")


def _user(request):
    return getattr(request, "user", None)


def _per_process(request, name, page, compute):
    """`compute()` kept in this process until a page is published, moved or unpublished (the page cache's
    "pages" tag; portal.core.pagecache.remember): parts of a page built from the page tree alone, the same for
    every reader of one audience. Keyed by the page, host, scheme, language and whether the reader sees
    agents-only articles, so no audience gets another's links. Previews and unsaved pages compute afresh."""
    if getattr(request, "is_preview", False) or page.pk is None or not hasattr(request, "get_host"):
        return compute()
    agent = KBPolicy.sees_agent_content(_user(request))
    key = ("kb", name, page.pk, request.get_host(), request.scheme, translation.get_language(), agent)
    return pagecache.remember(request, key, compute)


def _count(qs):
    """A correlated COUNT(*) subquery of `qs` (no GROUP BY), 0 when empty."""
    return Coalesce(
        Subquery(qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"), output_field=IntegerField()),
        Value(0),
    )


def category_for_language(locale, slug=None):
    """The KB category with `slug` in `locale` (a Locale or its id), else that language's first category, or None."""
    locale_id = getattr(locale, "pk", locale)
    categories = CategoryPage.objects.filter(locale_id=locale_id).order_by("path")
    category = categories.filter(slug=slug).first() if slug else None
    return category or categories.first()


def category_owner_id(category):
    """Who looks after `category`: the owner of its most recently published owned article (an id), or None."""
    return (
        ArticlePage.objects.child_of(category)
        .exclude(article_owner=None)
        .order_by("-last_published_at")
        .values_list("article_owner", flat=True)
        .first()
    )


def visible_articles(request, qs=None):
    qs = ArticlePage.objects.all() if qs is None else qs
    return KBPolicy.visible_articles(_user(request), qs).defer(*LISTING_FIELDS_DEFERRED)


# --- Routing ---------------------------------------------------------------------------------------------
def page_below_index(index, path_components):
    """The article or category at this path below `index` (articles first: they are most requests)."""
    url_path = index.url_path + "/".join(path_components) + "/"
    page = ArticlePage.objects.filter(url_path=url_path).select_related("locale").first()
    if page is None:
        page = CategoryPage.objects.filter(url_path=url_path).select_related("locale").first()
    return page


def translation_fallback(index, path_components):
    """The same article in another language, when this language has none at this path (else None)."""
    relative = "/".join(path_components) + "/"
    other_roots = KnowledgeIndexPage.objects.filter(translation_key=index.translation_key).exclude(pk=index.pk)
    candidates = [root + relative for root in other_roots.values_list("url_path", flat=True)]
    if not candidates:
        return None
    return ArticlePage.objects.filter(url_path__in=candidates, live=True).order_by("locale_id").first()


# --- Shared pieces ----------------------------------------------------------------------------------------
def breadcrumbs(page, request):
    """[{title, url}] from the home page down to the page's parent (one query, then kept per process)."""

    def compute():
        ancestors = Page.objects.ancestor_of(page).filter(depth__gte=2).order_by("depth")
        return [{"title": ancestor.title, "url": ancestor.get_url(request)} for ancestor in ancestors]

    return _per_process(request, "breadcrumbs", page, compute)


def help_links(request):
    """Where to go when the answer is not enough: the forum (same language) and the message board."""
    from portal.core.navigation import site_sections

    links = {"forum": None, "messages": None}
    for section in site_sections(request):  # computed once per request; the navigation reuses it
        if section.section_key == "forum":
            links["forum"] = section.get_url(request)
    try:
        links["messages"] = reverse("intake:new")
    except NoReverseMatch:
        pass  # the message board is not installed (yet): no link rather than a broken one
    return links


def category_cards(parent, request):
    """The live child categories of `parent`, each with `article_count`: visible articles below it, at any depth."""
    articles = KBPolicy.visible_articles(_user(request), ArticlePage.objects.filter(path__startswith=OuterRef("path")))
    qs = (
        CategoryPage.objects.child_of(parent)
        .filter(live=True)
        .exclude(_private())
        .annotate(article_count=_count(articles))
        .order_by("path")
    )
    return list(qs)


def _private():
    from kb.policies import in_private_section

    return in_private_section()


def _with_stats(qs):
    return qs.select_related("stats")


def popular_articles(locale_id, request, limit=POPULAR_LIMIT):
    """Most useful answers: readers' "helpful" votes plus agents' uses on calls (see docs/architecture.md)."""
    qs = visible_articles(request, ArticlePage.objects.filter(locale_id=locale_id)).annotate(
        score=F("stats__helpful_count") + F("stats__used_count")
    )
    return list(qs.filter(score__gt=0).order_by("-score", "-last_published_at")[:limit])


def recent_articles(locale_id, request, limit=RECENT_LIMIT):
    qs = visible_articles(request, ArticlePage.objects.filter(locale_id=locale_id))
    return list(qs.order_by("-last_published_at", "-pk")[:limit])


def _link(article, request, page_locale_id):
    return {
        "title": article.title,
        "url": article.get_url(request),
        "short_answer": article.short_answer,
        "updated": article.last_published_at,
        "badge": None if article.locale_id == page_locale_id else LANGUAGE_BADGES.get(article.locale.language_code),
        "lang": None if article.locale_id == page_locale_id else HREFLANGS.get(article.locale.language_code),
        "is_agents_only": article.audience == Audience.AGENTS,
    }


# --- Index ----------------------------------------------------------------------------------------------
def index_context(index, request):
    categories = category_cards(index, request)
    return {
        "categories": categories,
        "article_total": sum(category.article_count for category in categories),
        "popular": popular_articles(index.locale_id, request),
        "recent": recent_articles(index.locale_id, request),
        "help_links": help_links(request),
        "kb_agent": KBPolicy.sees_agent_content(_user(request)),
        "breadcrumbs": breadcrumbs(index, request),
        **seo_context(index, request),
    }


# --- Category -------------------------------------------------------------------------------------------
def articles_in_category(category, request):
    qs = visible_articles(request, ArticlePage.objects.child_of(category)).select_related("locale")
    return list(qs.order_by("path"))


def untranslated_articles(category, request):
    """Articles of this category's translations that have no live version in this category's language.

    The fallback for a missing translation: the English category lists Chinese-only answers with a
    "中文" badge (and the other way round) instead of hiding them.
    """
    counterpart = CategoryPage.objects.filter(
        translation_key=category.translation_key,
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen),
    ).exclude(locale_id=category.locale_id)
    translated_here = ArticlePage.objects.filter(
        translation_key=OuterRef("translation_key"), locale_id=category.locale_id, live=True
    )
    qs = (
        visible_articles(request)
        .filter(depth=category.depth + 1)
        .filter(Exists(counterpart))
        .exclude(Exists(translated_here))
        .select_related("locale")
    )
    return list(qs.order_by("path"))


def category_context(category, request):
    articles = articles_in_category(category, request)
    others = untranslated_articles(category, request)
    subcategories = category_cards(category, request)
    crumbs = breadcrumbs(category, request)
    seo = seo_context(category, request)
    return {
        "breadcrumbs": crumbs,
        "breadcrumb_ld": breadcrumb_list(category, request, crumbs, seo["canonical_url"]),
        "subcategories": subcategories,
        "articles": [_link(article, request, category.locale_id) for article in articles],
        "untranslated": [_link(article, request, category.locale_id) for article in others],
        "article_total": len(articles) + sum(sub.article_count for sub in subcategories),
        "help_links": help_links(request),
        "kb_agent": KBPolicy.sees_agent_content(_user(request)),
        **seo,
    }


# --- Article --------------------------------------------------------------------------------------------
def related_articles(article, request):
    """The related articles this reader may open, in the editor's order (one query, then kept per process for
    the reader's audience; in memory for previews)."""
    user = _user(request)
    if getattr(request, "is_preview", False) or article.pk is None:
        targets = [link.target for link in article.related_links.all() if link.target_id]
        targets = [t for t in targets if t.live and KBPolicy.can_view(user, t)]
        return [_link(target, request, article.locale_id) for target in targets]

    def compute():
        links = KBPolicy.visible_relations(
            user, ArticleRelation.objects.filter(page=article).select_related("target", "target__locale")
        ).order_by("sort_order")
        return [_link(link.target, request, article.locale_id) for link in links]

    return _per_process(request, "related", article, compute)


def translations(page, request):
    """Live translations of `page` the reader may open, this page included: [{code, url, title, hreflang}]
    (kept per process for the reader's audience)."""
    return _per_process(request, "translations", page, lambda: _translations(page, request))


def _translations(page, request):
    qs = page.get_translations(inclusive=True).filter(live=True).select_related("locale")
    if isinstance(page, ArticlePage):
        qs = KBPolicy.visible_articles(_user(request), ArticlePage.objects.filter(pk__in=qs.values("pk")))
        qs = qs.select_related("locale").defer(*LISTING_FIELDS_DEFERRED)
    order = [code for code, _name in settings.LANGUAGES]
    found = sorted(qs, key=lambda p: order.index(p.locale.language_code) if p.locale.language_code in order else 99)
    return [
        {
            "code": p.locale.language_code,
            "hreflang": HREFLANGS.get(p.locale.language_code, p.locale.language_code),
            "url": p.get_full_url(request),
            "path": p.get_url(request),
            "title": p.title,
            "current": p.pk == page.pk,
        }
        for p in found
    ]


def seo_context(page, request):
    alternates = translations(page, request)
    language = translation.get_language()
    return {
        "canonical_url": page.get_full_url(request),
        "alternates": alternates,
        "og_locale": OG_LOCALES.get(language, language),
        "og_locale_alternates": [OG_LOCALES.get(a["code"]) for a in alternates if not a["current"]],
    }


def article_context(article, request):
    from kb import rendering

    user = _user(request)
    agent = KBPolicy.sees_agent_content(user)
    answer_html, toc = rendering.render_answer(article, request, agent)
    crumbs = breadcrumbs(article, request)
    seo = seo_context(article, request)
    context = {
        "breadcrumbs": crumbs,
        "answer_html": answer_html,
        "toc": toc,
        "tags": article.tag_names(),
        "related": related_articles(article, request),
        "help_links": help_links(request),
        "kb_agent": agent,
        "fallback_from": _fallback_from(article, request),
        **seo,
    }
    if agent:
        context["agent_notes_html"] = rendering.render_rich_text(article.agent_notes, request, agent)
        context["stats"] = ArticleStats.objects.filter(article=article).first() if article.pk else None
        context["owner"] = article.article_owner
    if article.audience == Audience.PUBLIC and not getattr(request, "is_preview", False):
        context["json_ld"] = json_ld(article, request, crumbs, seo["canonical_url"])
    return context


def _fallback_from(article, request):
    """The language the reader asked for when they were sent here because it has no version of this article."""
    code = request.GET.get("from") if hasattr(request, "GET") else None
    if code and code != article.locale.language_code and code in dict(settings.LANGUAGES):
        return code
    return None


def breadcrumb_list(page, request, crumbs, url):
    """schema.org BreadcrumbList from the home page down to `page` (absolute URLs)."""
    path = page.get_url(request) or ""
    site_root = url[: -len(path)] if url and path and url.endswith(path) else ""
    items = [
        {"@type": "ListItem", "position": n, "name": crumb["title"], "item": site_root + (crumb["url"] or "")}
        for n, crumb in enumerate(crumbs, start=1)
    ]
    items.append({"@type": "ListItem", "position": len(items) + 1, "name": page.title, "item": url})
    return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}


def json_ld(article, request, crumbs, url):
    """schema.org FAQPage and BreadcrumbList for a public article. Agent notes never go in here."""
    answer_text = "\n\n".join(filter(None, [article.short_answer, article.plain_answer_text()]))
    return [
        {
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "inLanguage": HREFLANGS.get(article.locale.language_code, article.locale.language_code),
            "url": url,
            "dateModified": article.last_published_at.isoformat() if article.last_published_at else None,
            "mainEntity": [
                {
                    "@type": "Question",
                    "name": article.title,
                    "acceptedAnswer": {"@type": "Answer", "text": answer_text},
                }
            ],
        },
        breadcrumb_list(article, request, crumbs, url),
    ]


# --- Sitemap and feed -----------------------------------------------------------------------------------
def sitemap_entries(page, request):
    """The page's sitemap entry, plus entries for its public translations that live outside the site's
    tree (Wagtail's sitemap only walks the default language's tree), each listing the others as alternates.
    """
    group = _sitemap_translations(request).get(page.translation_key) or []
    root_path = _site_root_path(request)
    entries = []
    alternates = [{"location": p["url"], "lang_code": HREFLANGS.get(p["code"], p["code"])} for p in group]
    for item in group:
        if item["pk"] != page.pk and item["url_path"].startswith(root_path):
            continue  # Wagtail's sitemap lists that one itself
        entries.append({"location": item["url"], "lastmod": item["lastmod"], "alternates": alternates})
    if not any(item["pk"] == page.pk for item in group):  # not public: nothing (and never its translations)
        return []
    return entries


def _site_root_path(request):
    from wagtail.models import Site

    site = Site.find_for_request(request) if request is not None else None
    site = site or Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page.url_path if site else "/"


def _sitemap_translations(request):
    """{translation_key: [public live KB pages]} for the whole KB, computed once per sitemap request."""
    cached = getattr(request, "_kb_sitemap", None) if request is not None else None
    if cached is not None:
        return cached
    groups = {}
    public = KBPolicy.audiences_for(False)  # the sitemap is for anonymous readers
    kb_pages = (
        Page.objects.type(KnowledgeIndexPage, CategoryPage, ArticlePage)
        .filter(live=True)
        .exclude(_private())
        .annotate(kb_audience=F("articlepage__audience"))
        .select_related("locale")
        .order_by("path")
    )
    for p in kb_pages:
        if (p.kb_audience or Audience.PUBLIC) not in public:
            continue
        groups.setdefault(p.translation_key, []).append(
            {
                "pk": p.pk,
                "code": p.locale.language_code,
                "url": p.get_full_url(request),
                "url_path": p.url_path,
                "lastmod": p.last_published_at or p.latest_revision_created_at,
            }
        )
    if request is not None:
        request._kb_sitemap = groups
    return groups


def feed_articles(request, locale_id, limit=30):
    qs = visible_articles(request, ArticlePage.objects.filter(locale_id=locale_id))
    return list(qs.order_by("-last_published_at", "-pk")[:limit])


# --- Admin report ------------------------------------------------------------------------------------
def needs_review(today, min_votes, helpful_below_percent):
    """Articles past their review date or with poor feedback, by owner. Annotated `past_review` and `poor`."""
    from django.db.models import BooleanField, Case, ExpressionWrapper, Q, When

    votes = F("stats__helpful_count") + F("stats__unhelpful_count")
    poor = (
        Q(stats__isnull=False)
        & Q(votes__gte=min_votes)
        & Q(helpful_x100__lt=ExpressionWrapper(votes * helpful_below_percent, output_field=IntegerField()))
    )
    past = Q(review_by__lt=today)
    return (
        ArticlePage.objects.annotate(votes=votes, helpful_x100=F("stats__helpful_count") * 100)
        .filter(past | poor)
        .annotate(
            past_review=Case(When(past, then=Value(True)), default=Value(False), output_field=BooleanField()),
            poor=Case(When(poor, then=Value(True)), default=Value(False), output_field=BooleanField()),
        )
        .select_related("article_owner", "locale", "stats")
        .defer(*LISTING_FIELDS_DEFERRED)
        .order_by(F("article_owner__display_name").asc(nulls_last=True), "review_by", "title")
    )


def stats_for(article):
    return ArticleStats.objects.filter(article=article).first()


def article_owner_ids():
    return ArticlePage.objects.exclude(article_owner=None).values_list("article_owner", flat=True).distinct()


# --- Export ------------------------------------------------------------------------------------------
def export_rows(locale=None):
    """Rows in the kb_import format for every live article (default language first, then tree order)."""
    from django.db.models import Case, When

    from kb.content import rich_text_to_html, stream_to_html

    roots = {index.locale_id: index.url_path for index in KnowledgeIndexPage.objects.order_by("-path")}
    qs = (
        ArticlePage.objects.filter(live=True)
        .select_related("locale", "article_owner")
        .prefetch_related("tagged_items__tag", "related_links__target")
        .annotate(default_first=Case(When(locale__language_code=settings.LANGUAGE_CODE, then=0), default=1))
        .order_by("default_first", "path")
    )
    if locale:
        qs = qs.filter(locale__language_code=locale)
    for page in qs.iterator(chunk_size=200):
        relative = page.url_path[len(roots.get(page.locale_id, "")) :].strip("/")
        yield {
            "slug": page.slug,
            "locale": page.locale.language_code,
            "category": relative.rpartition("/")[0],
            "title": page.title,
            "short_answer": page.short_answer,
            "answer": stream_to_html(page.answer),
            "answer_format": "html",
            "tags": sorted((item.tag.name for item in page.tagged_items.all()), key=str.lower),
            "channels": list(page.channels or []),
            "audience": page.audience,
            "agent_notes": rich_text_to_html(page.agent_notes),
            "related": [link.target.slug for link in page.related_links.all()],
            "owner": page.article_owner.email if page.article_owner else "",
            "review_by": page.review_by.isoformat() if page.review_by else "",
        }
