"""The searchable kinds: one elasticsearch-dsl document class per kind, registered in search.registry.

Each class names the model it indexes, the objects that belong in the index (`indexable`), and builds a
`SearchRecord` from one object (`record`). Records feed both Elasticsearch (`to_source`) and the
database fallback (search.fallback), so every kind is searched the same way on both backends. Adding a
kind is one small class here plus its `@register` line; handlers, the outbox, rebuild and check follow.

Text fields hold the tokens search.analysis makes (space-joined) and use the core `whitespace` analyzer:
this Elasticsearch has no cjk, stemmer or synonym filters. Display fields are stored, not indexed.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from elasticsearch.dsl import Boolean, Completion, Date, Document, Float, Keyword, Text

from kb.content import html_to_text
from portal.core.audiences import Audience
from search import analysis
from search.registry import register

WS = "whitespace"
# Text beyond this is not analysed (a very long thread still indexes its first ~20,000 characters).
MAX_ANALYSED_CHARS = 20_000
MAX_SUGGEST_INPUTS = 6
SUGGEST_INPUT_CHARS = 40


@dataclass
class SearchRecord:
    """What one indexed object says about itself, backend-neutral."""

    kind: str
    pk: str
    locale: str
    audience: str  # public, agents, staff or desk
    title: str
    url: str
    updated_at: datetime
    slug: str = ""
    summary: str = ""
    body: str = ""
    notes: str = ""  # agent notes: searched and shown for agents only
    facet: str = ""
    facet_label: str = ""
    tags: list = field(default_factory=list)
    channels: list = field(default_factory=list)
    accepted: bool = False
    rank_boost: float = 1.0

    def analysed(self):
        """{"title": Analysed, "body": Analysed, "notes": Analysed} for this record."""
        title = analysis.analyse(" ".join([self.title, *self.tags]))
        body = analysis.analyse("\n".join([self.summary, self.facet_label, self.body])[:MAX_ANALYSED_CHARS])
        notes = analysis.analyse(self.notes[:MAX_ANALYSED_CHARS]) if self.notes else analysis.Analysed()
        return {"title": title, "body": body, "notes": notes}

    def suggest_inputs(self):
        """Prefixes a customer may start typing: the title from each word on, and each tag."""
        title = analysis.normalise(self.title)
        inputs, offset = [], 0
        for token in analysis.segment(title):
            stripped = token.strip()
            stop = stripped in analysis.ZH_STOP_WORDS or stripped in analysis.EN_STOP_WORDS
            if stripped and not stop and any(ch.isalnum() for ch in stripped):
                starts = [offset]
                # Inside a long word ("个人网银"), a customer may start typing at a shorter word ("网银").
                if len(token) >= 3 and analysis.contains_cjk(token):
                    starts += [offset + i for i in range(1, len(token) - 1) if analysis.is_word(token[i : i + 2])]
                inputs += [title[start : start + SUGGEST_INPUT_CHARS].strip() for start in starts]
            offset += len(token)
            if len(inputs) >= MAX_SUGGEST_INPUTS:
                break
        inputs += [analysis.normalise(tag)[:SUGGEST_INPUT_CHARS] for tag in self.tags]
        return list(dict.fromkeys(i for i in inputs if i))


class SearchDocument(Document):
    """Fields every kind shares. Subclasses set `kind_name`, `label` and `model_label`."""

    kind_name = ""
    label = ""
    model_label = ""
    facet_name = _("Category")
    # The only audiences this kind's documents ever carry (None: any). A search for none of them skips the
    # kind's index altogether (search.backends.elasticsearch.aliases): every shard asked costs the node.
    only_audiences = None

    kind = Keyword()
    object_pk = Keyword()
    locale = Keyword()
    audience = Keyword()
    slug = Keyword()
    title = Text(index=False)
    url = Keyword(index=False)
    summary = Text(index=False)
    body = Text(index=False)
    notes = Text(index=False)
    facet = Keyword()
    facet_label = Keyword()
    tags = Keyword()
    channels = Keyword()
    accepted = Boolean()
    rank_boost = Float()
    updated_at = Date()
    title_words = Text(analyzer=WS)
    title_bigrams = Text(analyzer=WS)
    title_stems = Text(analyzer=WS)
    body_words = Text(analyzer=WS)
    body_bigrams = Text(analyzer=WS)
    body_stems = Text(analyzer=WS)
    notes_words = Text(analyzer=WS)
    notes_bigrams = Text(analyzer=WS)
    notes_stems = Text(analyzer=WS)
    # One category context "audience|locale", so a suggestion never crosses an audience or a language.
    suggest = Completion(analyzer="keyword", contexts=[{"name": "scope", "type": "category"}], max_input_length=50)

    # --- what a kind provides ---------------------------------------------------------------------------
    @classmethod
    def get_model(cls):
        try:
            return apps.get_model(cls.model_label)
        except (LookupError, ValueError):
            return None

    @classmethod
    def is_available(cls):
        return cls.get_model() is not None

    @classmethod
    def indexable(cls):
        """Every object that belongs in the index (rebuild and check iterate it)."""
        raise NotImplementedError

    @classmethod
    def record(cls, obj, memo=None):
        """The SearchRecord for an object from `indexable()`, or None when it must not be indexed.

        `memo` is a dict shared by the records of one batch (for lookups many objects share).
        """
        raise NotImplementedError

    @classmethod
    def records(cls, objs):
        memo = {}
        return [rec for rec in (cls.record(obj, memo) for obj in objs) if rec is not None]

    @classmethod
    def load(cls, pks):
        """{pk: record} for those of `pks` that belong in the index; the others are deleted from it."""
        return {rec.pk: rec for rec in cls.records(cls.indexable().filter(pk__in=list(pks)))}

    @classmethod
    def watched(cls):
        """[(signal, sender model, fn(instance, **kwargs) -> pks of this kind)] for search.handlers.

        Each listed signal writes outbox rows for the returned objects inside the sender's transaction.
        """
        return []

    # --- building the Elasticsearch source --------------------------------------------------------------
    @classmethod
    def to_source(cls, rec, analysed=None):
        analysed = analysed or rec.analysed()
        source = {
            "kind": rec.kind,
            "object_pk": rec.pk,
            "locale": rec.locale,
            "audience": rec.audience,
            "slug": rec.slug,
            "title": rec.title,
            "url": rec.url,
            "summary": rec.summary,
            "body": rec.body[:MAX_ANALYSED_CHARS],
            "notes": rec.notes,
            "facet": rec.facet,
            "facet_label": rec.facet_label,
            "tags": list(rec.tags),
            "channels": list(rec.channels),
            "accepted": rec.accepted,
            "rank_boost": rec.rank_boost,
            "updated_at": rec.updated_at.isoformat(),
            "suggest": {
                "input": rec.suggest_inputs(),
                "weight": max(1, min(1000, int(rec.rank_boost * 10))),
                "contexts": {"scope": [f"{rec.audience}|{rec.locale}"]},
            },
        }
        for part in ("title", "body", "notes"):
            for stream, text in analysed[part].joined().items():
                source[f"{part}_{stream}"] = text
        return source


class PageKind:
    """A page model's kind: its live public pages are indexed (with `related` fetched alongside), and
    publish, unpublish, move, save and delete re-index the page itself."""

    related = ("locale",)  # select_related for every indexed page
    prefetched = ()

    @classmethod
    def indexable(cls):
        pages = cls.get_model().objects.live().public().select_related(*cls.related)
        return pages.prefetch_related(*cls.prefetched).order_by("pk")

    @classmethod
    def watched(cls):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_unpublished, post_page_move

        model = cls.get_model()

        def itself(instance, **kwargs):
            return [instance.pk]

        return [(s, model, itself) for s in (page_published, page_unpublished, post_page_move, post_save, post_delete)]


def _descendants(model_label):
    """A receiver for a parent page (category, board...): re-index the pages of `model_label` below it."""

    def resolve(instance, **kwargs):
        model = apps.get_model(model_label)
        return list(model.objects.descendant_of(instance).values_list("pk", flat=True))

    return resolve


class _UrlCache:
    """Stands in for a request so Wagtail looks the sites up once per batch (no current site: a
    single-site install gets relative URLs, several sites get full ones)."""

    _wagtail_site = None


def _page_url(page, memo=None):
    cache = memo.setdefault("urls", _UrlCache()) if memo is not None else None
    return page.get_url(cache) or page.url_path


def _page_updated(page):
    return page.last_published_at or page.latest_revision_created_at or timezone.now()


def helpfulness_boost(helpful, unhelpful):
    """1.0 for no votes, up to 1.5 for articles many found helpful (Wilson lower bound at 80%)."""
    total = helpful + unhelpful
    if total <= 0:
        return 1.0
    z = 1.2816
    phat = helpful / total
    bound = (phat + z * z / (2 * total) - z * math.sqrt((phat * (1 - phat) + z * z / (4 * total)) / total)) / (
        1 + z * z / total
    )
    return round(1.0 + 0.5 * max(0.0, bound), 4)


@register
class ArticleDocument(PageKind, SearchDocument):
    """A knowledge-base article (public or agents-only), with its short answer and agent notes."""

    kind_name = "kb"
    label = _("Articles")
    model_label = "kb.ArticlePage"
    facet_name = _("Category")

    class Index:
        name = "kb"

    related = ("locale", "stats")
    prefetched = ("tags",)

    @classmethod
    def watched(cls):
        from wagtail.signals import page_published, post_page_move

        from kb.signals import article_used, feedback_recorded

        category = apps.get_model("kb.CategoryPage")
        below = _descendants(cls.model_label)

        def voted(feedback=None, **kwargs):
            return [feedback.article_id]

        def used(usage=None, **kwargs):
            return [usage.article_id]

        return [
            *super().watched(),
            (page_published, category, below),
            (post_page_move, category, below),
            (feedback_recorded, apps.get_model("kb.ArticleFeedback"), voted),
            (article_used, apps.get_model("kb.ArticleUsage"), used),
        ]

    @classmethod
    def record(cls, page, memo=None):
        categories = _categories(page, memo)
        stats = getattr(page, "stats", None) if _has_stats(page) else None
        helpful, unhelpful, used = (
            (stats.helpful_count, stats.unhelpful_count, stats.used_count) if stats else (0, 0, 0)
        )
        # Helpful votes and uses on calls lift an article; a new article starts at 1.0.
        boost = helpfulness_boost(helpful, unhelpful) + min(0.2, math.log10(1 + used) / 10)
        return SearchRecord(
            kind=cls.kind_name,
            pk=str(page.pk),
            locale=page.locale.language_code,
            audience=page.audience,
            title=page.title,
            url=_page_url(page, memo),
            updated_at=_page_updated(page),
            slug=page.slug,
            summary=_plain(page.short_answer),
            body=page.plain_answer_text(),
            notes=_plain(page.agent_notes),
            facet="/".join(c.slug for c in categories),
            facet_label=" / ".join(c.title for c in categories),
            tags=sorted(tag.name for tag in page.tags.all()),
            channels=list(page.channels or []),
            rank_boost=round(boost, 4),
        )


def _categories(page, memo):
    """The article's categories from the top (CategoryPage ancestors), all loaded once per batch."""
    if memo is None:
        return page.category_pages()
    if "categories" not in memo:
        category = apps.get_model("kb.CategoryPage")
        memo["categories"] = {c.path: c for c in category.objects.only("path", "slug", "title", "depth")}
    steplen = page.steplen
    prefixes = [page.path[:i] for i in range(steplen, len(page.path), steplen)]
    return [memo["categories"][p] for p in prefixes if p in memo["categories"]]


def _has_stats(page):
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return page.stats is not None
    except ObjectDoesNotExist:
        return False


def _plain(value):
    """Plain text of rich text or of text that may hold markup (the KB's own converter)."""
    if not value:
        return ""
    return html_to_text(str(value))


@register
class ThreadDocument(SearchDocument):
    """A forum thread with its visible posts; threads with an accepted answer rank higher."""

    kind_name = "forum"
    label = _("Forum threads")
    model_label = "forum.Thread"
    facet_name = _("Board")

    class Index:
        name = "forum"

    @classmethod
    def indexable(cls):
        model = cls.get_model()
        return (
            model.objects.exclude(state__in=["deleted", "rejected", "merged"])
            .select_related("board", "board__locale", "accepted_post")
            .order_by("pk")
        )

    @classmethod
    def watched(cls):
        from wagtail.signals import page_published, post_page_move

        from forum.signals import thread_changed

        model = cls.get_model()
        board = apps.get_model("forum.BoardPage")

        def thread(instance=None, thread=None, **kwargs):
            return [(thread or instance).pk]

        def threads_of_board(instance, **kwargs):
            return list(model.objects.filter(board_id=instance.pk).values_list("pk", flat=True))

        return [
            (thread_changed, model, thread),
            (page_published, board, threads_of_board),
            (post_page_move, board, threads_of_board),
        ]

    @classmethod
    def record(cls, thread, memo=None):
        board = thread.board
        accepted_text = thread.accepted_answer_text()
        replies = getattr(thread, "reply_count", 0) or 0
        boost = (1.3 if accepted_text else 1.0) + min(0.2, math.log10(1 + replies) / 10)
        return SearchRecord(
            kind=cls.kind_name,
            pk=str(thread.pk),
            locale=thread.language_code,
            audience=thread.search_audience(),
            title=thread.title,
            url=thread.get_absolute_url(board_url=_board_url(board, memo)),
            updated_at=thread.updated_at,
            slug=getattr(thread, "slug", ""),
            summary=accepted_text,
            body=thread.search_text(),
            facet=board.slug,
            facet_label=board.title,
            accepted=bool(accepted_text),
            rank_boost=round(boost, 4),
        )


def _board_url(board, memo):
    urls = memo.setdefault("boards", {}) if memo is not None else {}
    if board.pk not in urls:
        urls[board.pk] = _page_url(board, memo)
    return urls[board.pk]


@register
class VideoDocument(PageKind, SearchDocument):
    """A video series page (episodes with transcripts join when the videos area ships them)."""

    kind_name = "videos"
    label = _("Videos")
    model_label = "videos.SeriesPage"
    facet_name = _("Series")

    class Index:
        name = "videos"

    @classmethod
    def record(cls, page, memo=None):
        return SearchRecord(
            kind=cls.kind_name,
            pk=str(page.pk),
            locale=page.locale.language_code,
            audience="public",
            title=page.title,
            url=_page_url(page, memo),
            updated_at=_page_updated(page),
            slug=page.slug,
            summary=getattr(page, "schedule", ""),
            body=getattr(page, "description", ""),
            facet=page.slug,
            facet_label=page.title,
        )


@register
class MessageDocument(SearchDocument):
    """A message-board conversation (the intake app), for the message desk only (audience "desk": staff whose
    role works messages, not every agent or moderator): found by reference, contact or text.

    Card, ID and mobile numbers are masked before anything is indexed; internal notes are left out; the
    e-mail address stays searchable (staff only). Read through the app registry, never imported.
    Anonymised (retention) and merged messages leave the index.
    """

    kind_name = "messages"
    label = _("Messages")
    model_label = "intake.Message"
    staff_only = True  # the search page names this kind only when there are results (staff)
    facet_name = _("Topic")
    only_audiences = frozenset({Audience.DESK.value})  # record() gives every message this one

    class Index:
        name = "messages"

    @classmethod
    def indexable(cls):
        model = cls.get_model()
        return model.objects.filter(anonymised_at=None, merged_into=None).prefetch_related("entries").order_by("pk")

    @classmethod
    def watched(cls):
        # Search may not import portal.intake: every intake action writes one intake.AuditEntry naming the
        # message, in the action's own transaction, so its post_save is the change signal.
        from django.db.models.signals import post_save

        def message_of(instance, **kwargs):
            return [instance.message_id] if instance.message_id else []

        return [(post_save, apps.get_model("intake.AuditEntry"), message_of)]

    @classmethod
    def record(cls, message, memo=None):
        from portal.core.masking import mask_personal_data  # noqa: PLC0415

        def masked(text):
            return mask_personal_data(text or "").text

        texts = [masked(e.body) for e in message.entries.all() if e.kind in ("customer", "reply")]
        contact = " ".join(part for part in (message.name, message.email, masked(message.phone)) if part)
        return SearchRecord(
            kind=cls.kind_name,
            pk=str(message.pk),
            locale=message.language,
            audience=Audience.DESK.value,  # the message desk only, not every staff role (search.policies)
            title=f"{message.reference} {masked(message.subject)}",
            url=f"/admin/messages/{message.pk}/",
            updated_at=message.updated_at,
            slug=message.reference,
            summary=texts[0][:300] if texts else "",
            body="\n".join([contact, *texts]),
            facet=message.category,
            facet_label=str(message.get_category_display()),
            channels=[message.channel],
        )


@register
class EpisodeDocument(PageKind, SearchDocument):
    """A video episode: title, summary, experts and the transcript as "m:ss text" lines, so that a hit in the
    transcript can open the episode at that moment (`decorate_hit`)."""

    kind_name = "episodes"
    label = _("Video episodes")
    model_label = "videos.EpisodePage"
    facet_name = _("Series")
    prefetched = ("experts",)

    class Index:
        name = "episodes"

    @classmethod
    def watched(cls):
        from django.db.models.signals import post_save, pre_delete

        from videos.models import Expert

        def episodes_of_expert(instance, **kwargs):
            return list(instance.episodes.values_list("pk", flat=True))

        return [*super().watched(), *((s, Expert, episodes_of_expert) for s in (post_save, pre_delete))]

    @classmethod
    def record(cls, page, memo=None):
        series = _episode_series(page, memo)
        experts = [f"{e.name} {e.name_en} {e.job_title} {e.organisation}".strip() for e in page.experts.all()]
        return SearchRecord(
            kind=cls.kind_name,
            pk=str(page.pk),
            locale=page.locale.language_code,
            audience="public",
            title=page.title,
            url=_page_url(page, memo),
            updated_at=_page_updated(page),
            slug=page.slug,
            summary=page.summary,
            body=page.transcript_text(),
            tags=[e.name for e in page.experts.all()],
            facet=series.slug if series else "",
            facet_label=" ".join([series.title if series else "", *experts]).strip(),
        )

    @classmethod
    def decorate_hit(cls, hit, terms, stems):
        """Point a hit whose words are in the transcript at the first matching line (`?t=754`)."""
        from search.highlight import match_spans

        spans = match_spans(hit.body, terms, stems)
        if not spans or "?t=" in hit.url:
            return
        line_start = hit.body.rfind("\n", 0, spans[0][0]) + 1
        stamp = hit.body[line_start:].split(" ", 1)[0]
        parts = stamp.split(":")
        if len(parts) in (2, 3) and all(p.isdigit() for p in parts):
            seconds = 0
            for part in parts:
                seconds = seconds * 60 + int(part)
            hit.url = f"{hit.url}?t={seconds}"


def _episode_series(page, memo):
    from videos.models import SeriesPage

    series = memo.setdefault("series", {}) if memo is not None else {}
    key = page.path[: -page.steplen]
    if key not in series:
        series[key] = SeriesPage.objects.filter(path=key).first()
    return series[key]
