"""Every change of state in the knowledge base, one function each: views, the admin, management commands,
the demo and tests all call these.

- `record_feedback` / `record_usage`: a reader's vote, an agent's use on a call (counters kept in the same
  transaction, the owner's e-mail sent after commit).
- `import_articles`: the bulk import behind `kb_import` and the demo. Each row is its own transaction, or each
  batch of new articles (`_NewArticles`; a failed batch is imported again row by row), so a broken row never
  leaves half an article; bad rows are reported with their line number and skipped. Articles are
  created or updated by (slug, locale), published through Wagtail revisions (so page_published reaches
  the search side), and versions sharing a slug become translations of each other.
- `create_draft_article`: an unpublished article for an editor to finish, made from an answer given elsewhere
  (a forum thread, a message-board reply, a video's Q&A). Its owner is whoever owns the category's most
  recently published owned article: the person who already looks after that topic.
- `ensure_review_workflow`: the "KB review" workflow on every knowledge-base index.
"""

import datetime
import logging
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_unicode_slug
from django.db import IntegrityError, models, transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from wagtail.models import COMMENTS_RELATION_NAME, Locale, Page, ReferenceIndex, Revision
from wagtail.signal_handlers import disable_reference_index_auto_update

from kb import signals
from kb.content import blocks_to_raw, plain_text, same_blocks, sanitise_source, source_to_blocks
from kb.models import (
    ArticleFeedback,
    ArticlePage,
    ArticleRelation,
    ArticleStats,
    ArticleTag,
    ArticleUsage,
    Audience,
    CategoryPage,
    Channel,
    KnowledgeIndexPage,
)
from portal.core import bulk
from portal.core.audiences import ARTICLE_AUDIENCES
from portal.core.masking import mask_personal_data

logger = logging.getLogger(__name__)

# Msgids: stored as written, read in the reader's language (portal/core/workflows.py).
WORKFLOW_NAME = gettext_noop("KB review")
TASK_NAME = gettext_noop("KB reviewers approve")
USAGE_DEDUPE = timedelta(minutes=10)


# --- Drafts from other channels -------------------------------------------------------------------------
def _free_slug(category, wanted):
    """`wanted`, or `wanted-2`, `-3`... so that it is unique among the category's language's articles."""
    taken = set(
        ArticlePage.objects.filter(locale_id=category.locale_id, slug__startswith=wanted).values_list("slug", flat=True)
    )
    slug, number = wanted, 2
    while slug in taken:
        slug, number = f"{wanted}-{number}", number + 1
    return slug


@transaction.atomic
def create_draft_article(*, category, title, answer_html, short_answer, user, slug=None, source_note=""):
    """Create an unpublished ArticlePage under `category` (one revision by `user`) and return it.

    `answer_html` is cleaned by the one allow-list (portal.sanitize); `short_answer` is plain text;
    `source_note` (where the answer came from) becomes the promote tab's description. Editors then review
    and publish it through the usual workflow.
    """
    from wagtail.rich_text import RichText

    from kb import queries
    from portal.core.sanitize import clean_html

    title = " ".join((title or "").split())[:255]
    if not title:
        raise ValidationError(_("An article needs a title."))
    wanted = slug or slugify(title, allow_unicode=True)[:50].strip("-") or "draft"
    article = ArticlePage(
        title=title,
        slug=_free_slug(category, wanted[:80]),
        live=False,
        short_answer=(short_answer or "").strip(),
        answer=[("rich_text", RichText(clean_html(answer_html or "")))],
        search_description=(source_note or "")[:255],
        seo_title=title,
        owner=user,
        article_owner_id=queries.category_owner_id(category),
        locale_id=category.locale_id,
    )
    category.add_child(instance=article)
    article.save_revision(user=user, log_action=True)
    return article


# --- Feedback and uses ---------------------------------------------------------------------------------
class AlreadyRated(Exception):
    """This visitor has already voted on this article."""


def _bump(article, **increments):
    ArticleStats.objects.get_or_create(article_id=article.pk)
    ArticleStats.objects.filter(pk=article.pk).update(
        updated_at=timezone.now(), **{name: F(name) + n for name, n in increments.items()}
    )


@transaction.atomic
def record_feedback(*, article, helpful, visitor_key, comment="", language=""):
    """Store one vote (and optional comment) per visitor and article; raise AlreadyRated for a second one.

    The comment is a stranger's free text that staff read in e-mail and the admin: card, ID and mobile
    numbers are masked before it is stored (`feedback.masked` says what was hidden, for the thank-you).
    """
    masked = mask_personal_data((comment or "").strip())
    try:
        with transaction.atomic():
            feedback = ArticleFeedback.objects.create(
                article=article,
                helpful=bool(helpful),
                comment=masked.text[:1000],
                visitor_key=visitor_key,
                language=language[:10],
            )
    except IntegrityError as exc:
        raise AlreadyRated from exc
    feedback.masked = masked
    _bump(article, **({"helpful_count": 1} if helpful else {"unhelpful_count": 1}))
    if feedback.comment:
        from kb.tasks import send_feedback_comment

        transaction.on_commit(lambda: send_feedback_comment.enqueue(feedback.pk))
    signals.feedback_recorded.send(sender=ArticleFeedback, feedback=feedback)
    return feedback


@transaction.atomic
def record_usage(*, article, agent):
    """Count that `agent` read this article on a call. A repeat click within ten minutes counts once."""
    recent = ArticleUsage.objects.filter(
        article=article, agent=agent, created_at__gte=timezone.now() - USAGE_DEDUPE
    ).first()
    if recent is not None:
        return recent, False
    usage = ArticleUsage.objects.create(article=article, agent=agent)
    _bump(article, used_count=1)
    signals.article_used.send(sender=ArticleUsage, usage=usage)
    return usage, True


# --- Review workflow -----------------------------------------------------------------------------------
def ensure_review_workflow():
    """The "KB review" workflow (one group-approval task for KB reviewers) on every KB index. Idempotent."""
    from portal.core import roles
    from portal.core.workflows import ensure_workflow

    return ensure_workflow(WORKFLOW_NAME, TASK_NAME, roles.KB_REVIEWERS, KnowledgeIndexPage.objects.all())


# --- Import --------------------------------------------------------------------------------------------
class RowError(Exception):
    """A row that cannot be imported; the message names what is wrong."""


@dataclass
class ImportIssue:
    line: int
    message: str

    def __str__(self):
        return _("line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportReport:
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def rows_ok(self):
        return self.created + self.updated + self.unchanged

    def summary(self):
        text = _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged, %(errors)d rejected") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": len(self.errors),
        }
        return f"{text} ({_('dry run: nothing was saved')})" if self.dry_run else text


@dataclass
class ArticleData:
    slug: str
    locale: str
    category: list
    title: str
    short_answer: str
    blocks: list
    tags: list
    channels: list
    audience: str
    related: list
    optional: dict  # agent_notes / article_owner / review_by, only when the row has the column


REQUIRED = ("slug", "locale", "category", "title", "short_answer", "answer")


def _as_list(value):
    if value is None or value == "":
        return []
    if isinstance(value, str):
        separator = "|" if "|" in value else ","
        return [part.strip() for part in value.split(separator) if part.strip()]
    if isinstance(value, (list, tuple)):
        return [str(part).strip() for part in value if str(part).strip()]
    raise RowError(_("expected a list, got %(value)r") % {"value": value})


def _slug(value, what):
    try:
        validate_unicode_slug(value)
    except ValidationError as exc:
        raise RowError(
            _("%(what)s “%(value)s” is not valid: use letters, numbers, hyphens or underscores")
            % {"what": what, "value": value}
        ) from exc
    if len(value) > 255:
        raise RowError(_("%(what)s is longer than 255 characters") % {"what": what})
    return value


def validate_row(row, users=None):
    """Check one row and convert it to ArticleData (sanitising Markdown/HTML); raise RowError."""
    missing = [name for name in REQUIRED if not str(row.get(name) or "").strip()]
    if missing:
        raise RowError(_("missing required column(s): %(names)s") % {"names": ", ".join(missing)})
    slug = _slug(str(row["slug"]).strip(), _("slug"))
    languages = [code for code, _name in settings.LANGUAGES]
    locale = str(row["locale"]).strip().lower()
    if locale not in languages:
        raise RowError(
            _("locale “%(value)s” is not one of: %(choices)s") % {"value": locale, "choices": ", ".join(languages)}
        )
    category = [_slug(part.strip(), _("category")) for part in str(row["category"]).strip().strip("/").split("/")]
    title = plain_text(str(row["title"]))
    if not title:
        raise RowError(_("title is empty once markup is removed"))
    if len(title) > 255:
        raise RowError(_("title is longer than 255 characters"))
    short_answer = plain_text(str(row["short_answer"]))
    if not short_answer:
        raise RowError(_("short_answer is empty once markup is removed"))
    if len(short_answer) > 500:
        raise RowError(_("short_answer is longer than 500 characters"))
    fmt = str(row.get("answer_format") or "auto").strip().lower()
    if fmt not in ("auto", "markdown", "html"):
        raise RowError(_("answer_format “%(value)s” is not one of: auto, markdown, html") % {"value": fmt})
    blocks = source_to_blocks(str(row["answer"]), fmt)
    if not blocks:
        raise RowError(_("answer is empty once unsafe markup is removed"))
    tags = []
    for tag in _as_list(row.get("tags")):
        name = plain_text(tag, max_length=100)
        if name and name.lower() not in {t.lower() for t in tags}:
            tags.append(name)
    channels = _as_list(row.get("channels"))
    unknown = [channel for channel in channels if channel not in Channel.values]
    if unknown:
        raise RowError(
            _("channel “%(value)s” is not one of: %(choices)s")
            % {"value": unknown[0], "choices": ", ".join(Channel.values)}
        )
    audience = str(row.get("audience") or Audience.PUBLIC).strip().lower()
    allowed = [value for value, _label in ARTICLE_AUDIENCES]
    if audience not in allowed:
        raise RowError(
            _("audience “%(value)s” is not one of: %(choices)s") % {"value": audience, "choices": ", ".join(allowed)}
        )
    related = _as_list(row.get("related"))
    optional = {}
    if "agent_notes" in row:
        notes = str(row.get("agent_notes") or "")
        optional["agent_notes"] = sanitise_source(notes)[0].strip() if notes.strip() else ""
    if "owner" in row:
        owner = _owner(str(row.get("owner") or "").strip(), users)
        optional["article_owner_id"] = owner.pk if owner else None
    if "review_by" in row:
        optional["review_by"] = _date(str(row.get("review_by") or "").strip())
    return ArticleData(
        slug=slug,
        locale=locale,
        category=category,
        title=title,
        short_answer=short_answer,
        blocks=blocks,
        tags=tags,
        channels=list(dict.fromkeys(channels)),
        audience=audience,
        related=list(dict.fromkeys(related)),
        optional=optional,
    )


def _owner(email, users):
    if not email:
        return None
    if users is not None and email.lower() in users:
        return users[email.lower()]
    user = get_user_model().objects.filter(email__iexact=email).first()
    if user is None:
        raise RowError(_("owner “%(value)s” has no account") % {"value": email})
    if users is not None:
        users[email.lower()] = user
    return user


def _date(value):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise RowError(_("review_by “%(value)s” is not a date (YYYY-MM-DD)") % {"value": value}) from exc


def _publish(page, user):
    revision = page.save_revision(user=user, log_action=True)
    revision.publish(user=user)
    return page


def _pick_targets(wanted, articles, locale_id):
    """Of `articles` (in pk order) the one per wanted slug: the same language first, else the oldest; and the
    slugs to look up again once every row is in (not found, or found only in another language)."""
    found = {}
    for article in articles:
        current = found.get(article.slug)
        if current is None or (article.locale_id == locale_id and current.locale_id != locale_id):
            found[article.slug] = article
    later = [slug for slug in wanted if slug not in found or found[slug].locale_id != locale_id]
    return [found[slug] for slug in wanted if slug in found], later


def _validation_message(exc):
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items())
    return "; ".join(exc.messages)


class _Importer:
    def __init__(self, user, report, batch_size=1):
        self.user = user
        self.report = report
        self.batch = _NewArticles(self, batch_size) if batch_size > 1 else None
        self.users = {}
        self.locales = {}
        self.indexes = {}
        self.categories = {}
        self.tags = {}  # tag name -> Tag: the batched path looks each name up (or creates it) once per import
        self.pending_related = []  # (line, page pk, slugs, outcome) resolved again once every row is in

    # Caches of pages are dropped when a row fails: its savepoint took back whatever the row created.
    def forget(self):
        self.indexes.clear()
        self.categories.clear()
        self.tags.clear()
        if self.batch is not None:
            self.batch.known.forget()

    def tag_objects(self, page, names):
        """The Tag of each name, from the import's cache; names not met before are looked up (and the missing
        ones created) together, by the same taggit code `page.tags.set(names)` runs."""
        missing = [name for name in names if name not in self.tags]
        if missing:
            self.tags.update(zip(missing, page.tags._to_tag_model_instances(missing, {}), strict=True))
        return [self.tags[name] for name in names]

    def locale(self, code):
        if code not in self.locales:
            self.locales[code] = Locale.objects.filter(language_code=code).first()
        if self.locales[code] is None:
            raise RowError(_("the site has no “%(code)s” locale") % {"code": code})
        return self.locales[code]

    def index(self, locale):
        if locale.pk not in self.indexes:
            self.indexes[locale.pk] = KnowledgeIndexPage.objects.filter(locale=locale).order_by("path").first()
        index = self.indexes[locale.pk]
        if index is None:
            raise RowError(
                _("there is no knowledge base index in “%(code)s”: create it first") % {"code": locale.language_code}
            )
        return index

    def category(self, index, components, line, create=True):
        """The category page at `components` below `index`, created where missing (None when `create` is
        False and something is missing)."""
        key = (index.pk, "/".join(components))
        if key in self.categories:
            return self.categories[key]
        parent = index
        for depth in range(1, len(components) + 1):
            relative = "/".join(components[:depth])
            page = Page.objects.filter(url_path=f"{index.url_path}{relative}/").specific(defer=True).first()
            if page is None and not create:
                return None
            if page is None:
                page = self._create_category(index, parent, components[depth - 1], relative)
                self.report.warnings.append(
                    ImportIssue(
                        line,
                        _("created category “%(path)s” in %(code)s")
                        % {"path": relative, "code": index.locale.language_code},
                    )
                )
            elif not isinstance(page, CategoryPage):
                raise RowError(
                    _("category path “%(path)s” leads to a page that is not a category") % {"path": relative}
                )
            parent = page
        self.categories[key] = parent
        return parent

    def _create_category(self, index, parent, slug, relative):
        other_roots = KnowledgeIndexPage.objects.filter(translation_key=index.translation_key).exclude(pk=index.pk)
        counterpart = CategoryPage.objects.filter(
            url_path__in=[f"{root}{relative}/" for root in other_roots.values_list("url_path", flat=True)]
        ).first()
        category = CategoryPage(
            title=counterpart.title if counterpart else slug.replace("-", " ").replace("_", " ").capitalize(),
            slug=slug,
            locale_id=index.locale_id,
            translation_key=counterpart.translation_key if counterpart else uuid.uuid4(),
            intro=counterpart.intro if counterpart else "",
        )
        parent.add_child(instance=category)
        return _publish(category, self.user)

    def related_targets(self, slugs, locale, own_slug):
        """Targets for these slugs (same language first, else another), and whether to look again later.

        A slug not found, or found only in another language, may still arrive further down the file:
        such rows are resolved again once every row is in (`finish_related`).
        """
        wanted = [slug for slug in slugs if slug != own_slug]
        if not wanted:
            return [], []
        articles = ArticlePage.objects.filter(slug__in=wanted).only("pk", "slug", "locale_id").order_by("pk")
        return _pick_targets(wanted, articles, locale.pk)

    def apply(self, line, data):
        locale = self.locale(data.locale)
        index = self.index(locale)
        parent = self.category(index, data.category, line)
        targets, later = self.related_targets(data.related, locale, data.slug)
        page = ArticlePage.objects.filter(slug=data.slug, locale=locale).first()
        if page is None:
            page = self.new_page(data, locale)
            self.fill(page, data, targets, new=True)
            parent.add_child(instance=page)
            _publish(page, self.user)
            return "created", page, later
        if page.path[: -Page.steplen] != parent.path:
            page.move(parent, pos="last-child", user=self.user)
            page = ArticlePage.objects.get(pk=page.pk)
            moved = True
        else:
            moved = False
        changed = self.fill(page, data, targets, new=False)
        if not (changed or moved):
            return "unchanged", page, later
        if page.has_unpublished_changes:
            self.report.warnings.append(
                ImportIssue(
                    line,
                    _("“%(slug)s” had an unpublished draft; the imported version is now live") % {"slug": data.slug},
                )
            )
        _publish(page, self.user)
        return "updated", page, later

    @staticmethod
    def new_page(data, locale, known=None):
        """An unsaved article for the row: a translation of the article with its slug in another language, if any.

        Raises RowError when that article already has a version in this language under another slug. `known`
        (a batch's `_Known`) answers the two questions from what it has read; else they are asked here.
        """
        if known is not None:
            counterpart = known.counterpart(data.slug, locale.pk)
        else:
            counterpart = ArticlePage.objects.filter(slug=data.slug).exclude(locale=locale).order_by("pk").first()
        if counterpart is not None:
            if known is not None:
                taken = known.version(counterpart.translation_key, locale.pk)
            else:
                taken = ArticlePage.objects.filter(translation_key=counterpart.translation_key, locale=locale).first()
            if taken is not None:
                raise RowError(
                    _("“%(slug)s” in this language already exists as “%(other)s”")
                    % {"slug": data.slug, "other": taken.slug}
                )
        return ArticlePage(
            slug=data.slug,
            locale=locale,
            translation_key=counterpart.translation_key if counterpart else uuid.uuid4(),
        )

    def fill(self, page, data, targets, new):
        """Copy the row onto the page; True when something differs from what the page holds."""
        values = {
            "title": data.title,
            "draft_title": data.title,
            "short_answer": data.short_answer,
            "channels": data.channels,
            "audience": data.audience,
            **data.optional,
        }
        changed = new
        for name, value in values.items():
            if getattr(page, name, None) != value:
                setattr(page, name, value)
                changed = True
        previous = [] if new else list(page.answer.raw_data)
        if new or not same_blocks(previous, data.blocks):
            page.answer = blocks_to_raw(data.blocks, previous)
            changed = True
        current_tags = [] if new else sorted(page.tags.names(), key=str.lower)
        if sorted(data.tags, key=str.lower) != current_tags:
            page.tags.set(data.tags)
            changed = True
        target_ids = [target.pk for target in targets]
        current_ids = [] if new else [link.target_id for link in page.related_links.all()]
        if target_ids != current_ids and (target_ids or current_ids):
            page.related_links = [ArticleRelation(target=target, sort_order=n) for n, target in enumerate(targets)]
            changed = True
        return changed

    def finish_related(self):
        """Link related articles that appeared later in the file.

        An article this run created is completed in place: its links are added to the page and to the
        revision this run published (a second revision would say nothing an editor needs to see). An
        article that existed before gets a new revision as usual.

        With batches on, the articles this run created (and did not touch again) are completed a batch at a
        time (`_finish_created`); a batch that fails is done again one article at a time.
        """
        pending = self.pending_related
        if self.batch is not None:
            times = Counter(pk for _line, pk, _slugs, _outcome in pending)
            created = [entry for entry in pending if entry[3] == "created" and times[entry[1]] == 1]
            pending = [entry for entry in pending if not (entry[3] == "created" and times[entry[1]] == 1)]
            for start in range(0, len(created), self.batch.size):
                chunk = created[start : start + self.batch.size]
                try:
                    with transaction.atomic(), disable_reference_index_auto_update():
                        warnings, one_by_one = self._finish_created(chunk)
                except Exception:
                    logger.exception("linking a batch of related articles failed; linking them one by one")
                    warnings, one_by_one = [], chunk
                self.report.warnings.extend(warnings)
                pending = pending + one_by_one
        for line, pk, slugs, outcome in pending:
            try:
                with transaction.atomic(), disable_reference_index_auto_update():
                    page = ArticlePage.objects.get(pk=pk)
                    targets, later = self.related_targets(slugs, page.locale, page.slug)
                    found = {target.slug for target in targets}
                    for slug in (slug for slug in later if slug not in found):
                        self.report.warnings.append(
                            ImportIssue(line, _("related article “%(slug)s” was not found") % {"slug": slug})
                        )
                    target_ids = [target.pk for target in targets]
                    if target_ids == [link.target_id for link in page.related_links.all()]:
                        if outcome != "unchanged":
                            ReferenceIndex.create_or_update_for_object(page)
                        continue
                    links = [ArticleRelation(target=target, sort_order=n) for n, target in enumerate(targets)]
                    live = page.live_revision_id
                    untouched = outcome == "created" and live and live == page.latest_revision_id
                    if untouched:
                        ArticleRelation.objects.filter(page=page).delete()
                        for link in links:
                            link.page = page
                        ArticleRelation.objects.bulk_create(links)
                        page = ArticlePage.objects.get(pk=pk)
                        Revision.objects.filter(pk=page.live_revision_id).update(content=page.serializable_data())
                    else:
                        page.related_links = links
                        _publish(page, self.user)
                    ReferenceIndex.create_or_update_for_object(page)
            except Exception as exc:  # keep going: the article itself is in; only its links failed
                logger.exception("linking related articles failed for line %s", line)
                self.report.warnings.append(
                    ImportIssue(line, _("related articles could not be linked: %(error)s") % {"error": exc})
                )

    def _finish_created(self, entries):
        """finish_related for articles this run created, together: returns the warnings and the entries
        to do one by one (an article edited since its import gets a new revision there)."""
        pages = {page.pk: page for page in ArticlePage.objects.filter(pk__in=[pk for _l, pk, _s, _o in entries])}
        current = {}
        for link in ArticleRelation.objects.filter(page_id__in=pages).order_by("page_id", "sort_order", "pk"):
            current.setdefault(link.page_id, []).append(link.target_id)
        wanted_slugs = {slug for _l, _pk, slugs, _o in entries for slug in slugs}
        by_slug = {}
        for article in ArticlePage.objects.filter(slug__in=wanted_slugs).only("pk", "slug", "locale_id").order_by("pk"):
            by_slug.setdefault(article.slug, []).append(article)
        warnings, one_by_one, relink, reindex = [], [], {}, []
        for entry in entries:
            line, pk, slugs, _outcome = entry
            page = pages.get(pk)
            live = page.live_revision_id if page else None
            if not (live and live == page.latest_revision_id):
                one_by_one.append(entry)
                continue
            wanted = [slug for slug in slugs if slug != page.slug]
            targets, later = _pick_targets(
                wanted, [article for slug in wanted for article in by_slug.get(slug, [])], page.locale_id
            )
            found = {target.slug for target in targets}
            warnings.extend(
                ImportIssue(line, _("related article “%(slug)s” was not found") % {"slug": slug})
                for slug in later
                if slug not in found
            )
            target_ids = [target.pk for target in targets]
            if target_ids != current.get(pk, []):
                relink[pk] = target_ids
            reindex.append(pk)
        if relink:
            ArticleRelation.objects.filter(page_id__in=relink).delete()
            ArticleRelation.objects.bulk_create(
                ArticleRelation(page_id=pk, target_id=target, sort_order=n)
                for pk, targets in relink.items()
                for n, target in enumerate(targets)
            )
        children = ("tagged_items", "related_links", COMMENTS_RELATION_NAME)  # what the revision and references read
        fresh = {page.pk: page for page in ArticlePage.objects.filter(pk__in=reindex).prefetch_related(*children)}
        if relink:
            revisions = []
            for pk in relink:
                revision = Revision(pk=fresh[pk].live_revision_id, content=fresh[pk].serializable_data())
                revisions.append(revision)
            Revision.objects.bulk_update(revisions, ["content"])
        index_references([fresh[pk] for pk in reindex])
        return warnings, one_by_one

    def import_rows(self, rows, progress=None):
        """Import (line, row) pairs in file order. With batches on, a batch's worth of rows is checked first, so
        that the batch reads what already exists for all of them at once (`_Known`)."""
        size = self.batch.size if self.batch is not None else 1
        chunk = []
        for line, row in rows:
            chunk.append((line, row))
            if len(chunk) >= size:
                self._import_chunk(chunk, progress)
                chunk = []
        if chunk:
            self._import_chunk(chunk, progress)
        if self.batch is not None:
            self.batch.flush()

    def _import_chunk(self, chunk, progress):
        checked = [(line, self.check_row(line, row)) for line, row in chunk]
        if self.batch is not None:
            self.batch.known.expect([data for _line, data in checked if data is not None])
        for line, data in checked:
            if data is not None:
                self.import_checked(line, data)
            if progress is not None:
                progress()

    def check_row(self, line, row):
        """The row as ArticleData, or None once its error is reported."""
        if isinstance(row, Exception):
            self.report.errors.append(ImportIssue(line, str(row)))
            return None
        try:
            return validate_row(row, self.users)
        except RowError as exc:
            self.report.errors.append(ImportIssue(line, str(exc)))
        except ValidationError as exc:
            self.report.errors.append(ImportIssue(line, _validation_message(exc)))
        except Exception as exc:  # one broken row must not stop the import
            logger.exception("import of line %s failed", line)
            self.report.errors.append(ImportIssue(line, _("unexpected error: %(error)s") % {"error": exc}))
        return None

    def import_checked(self, line, data):
        if self.batch is not None and self.batch.take(line, data):
            return
        if self.batch is not None:
            self.batch.flush()
        self.import_one(line, data)

    def import_one(self, line, data):
        """Today's path for one validated row: its own savepoint, Wagtail's add_child, save_revision, publish."""
        if self.batch is not None:
            self.batch.known.forget()  # this row writes outside the batch: read again what exists
        try:
            # Wagtail re-indexes references on each of the several saves a publish makes; once per row is enough.
            with transaction.atomic(), disable_reference_index_auto_update():
                outcome, page, later = self.apply(line, data)
                if outcome != "unchanged" and not later:  # with links pending, finish_related indexes it
                    ReferenceIndex.create_or_update_for_object(page)
        except RowError as exc:
            self.forget()
            self.report.errors.append(ImportIssue(line, str(exc)))
            return
        except ValidationError as exc:
            self.forget()
            self.report.errors.append(ImportIssue(line, _validation_message(exc)))
            return
        except Exception as exc:  # one broken row must not stop the import; its savepoint is rolled back
            logger.exception("import of line %s failed", line)
            self.forget()
            self.report.errors.append(ImportIssue(line, _("unexpected error: %(error)s") % {"error": exc}))
            return
        setattr(self.report, outcome, getattr(self.report, outcome) + 1)
        if later:
            self.pending_related.append((line, page.pk, data.related, outcome))


BATCH_SIZE = 200


class _Known:
    """What a batch needs to know of the articles that exist (by slug, and versions by translation key), read
    for a batch's worth of rows at once and kept up to date with the pages the batch writes.

    `expect` names the rows coming; the first question reads, in two queries, every article whose slug is one
    of theirs or one they link to, and every version of those articles. `forget` (something was written
    outside the batch, or rolled back) makes the next question read again.
    """

    def __init__(self):
        self.slugs = set()
        self.loaded = False
        self.by_slug = {}  # slug -> articles, in pk order
        self.by_key = {}  # translation key -> articles, in pk order
        self.unsaved = []  # the batch's pages not written yet (they come after every article read)

    def expect(self, rows):
        self.slugs = {slug for data in rows for slug in (data.slug, *data.related)}
        self.loaded = False

    def forget(self):
        self.loaded = False
        self.unsaved = []

    def _load(self, slugs=()):
        if self.loaded and self.slugs.issuperset(slugs):
            return
        self.slugs.update(slugs)
        fields = ("pk", "slug", "locale_id", "translation_key")
        self.by_slug, self.by_key = {}, {}
        articles = list(ArticlePage.objects.filter(slug__in=self.slugs).only(*fields).order_by("pk"))
        for article in articles:
            self.by_slug.setdefault(article.slug, []).append(article)
        keys = {article.translation_key for article in articles}
        if keys:
            for article in ArticlePage.objects.filter(translation_key__in=keys).only(*fields).order_by("pk"):
                self.by_key.setdefault(article.translation_key, []).append(article)
        self.loaded = True
        for page in self.unsaved:
            self._hold(page)

    def _hold(self, page):
        self.by_slug.setdefault(page.slug, []).append(page)
        self.by_key.setdefault(page.translation_key, []).append(page)

    def add(self, page):
        """A page of the batch (written when the batch is: its pk will be above every one read)."""
        self.unsaved.append(page)
        if self.loaded:
            self._hold(page)

    def saved(self):
        self.unsaved = []

    def exists(self, slug, locale_id):
        self._load([slug])
        return any(article.locale_id == locale_id for article in self.by_slug.get(slug, ()))

    def articles(self, slugs):
        """The articles with these slugs, in pk order within each slug (what `_pick_targets` takes)."""
        self._load(slugs)
        return [article for slug in slugs for article in self.by_slug.get(slug, ())]

    def counterpart(self, slug, locale_id):
        """The oldest article with this slug in another language."""
        self._load([slug])
        return next((a for a in self.by_slug.get(slug, ()) if a.locale_id != locale_id), None)

    def version(self, key, locale_id):
        """The article with this translation key in this language."""
        return next((a for a in self.by_key.get(key, ()) if a.locale_id == locale_id), None)


class _NewArticles:
    """The import's fast path: rows that create an article in a category that exists, written in batches.

    Such a row is checked as today's path checks it (the same questions, `full_clean` once), answered from
    what the batch has read (`_Known`, the parents' children) and from the batch's own pages, so that later
    rows of the file see it (translations, related links, slugs among siblings). When the batch completes,
    its page rows and what Wagtail's add_child, save_revision and publish then do one row at a time (tree
    counts, revisions, tags, related links, the create/edit/publish log entries, live and latest revision,
    references, search outbox rows) are written for the whole batch together, and post_save and
    page_published are sent for each page, as a save and a publish send them.
    Anything else (an update, a category to create, a slug met twice) first completes the batch, then takes
    today's path. When a batch fails, its savepoint is rolled back and its rows are imported again one by one
    through today's path, so what is reported (line numbers, messages) is what that path reports.
    """

    def __init__(self, importer, size):
        self.importer = importer
        self.size = size
        self.atomic = None
        self.rows = []  # (line, data) taken, in file order: what a failed batch imports again
        self.issues = []  # rows refused before anything was written, reported once the batch is in
        self.pages = []  # (line, page, later, data) written
        self.keys = set()  # (slug, locale pk) written by this batch
        self.last_paths = {}  # parent pk -> tree path of its last child so far
        self.parents = {}  # parent pk -> [parent page, children added]
        self.children = {}  # parent pk -> slugs of its children (Wagtail's "slug already in use" check)
        self.publishable = {}  # parent pk -> whether the user may publish below it
        self.known = _Known()
        self.outbox = bulk.Gathering()  # the search outbox rows the batch's pages ask for: one per page

    def take(self, line, data):
        """Import the row in the batch and return True, or return False: it is for today's path."""
        importer = self.importer
        try:
            locale = importer.locale(data.locale)
            parent = importer.category(importer.index(locale), data.category, line, create=False)
        except RowError:
            return False
        if parent is None or (data.slug, locale.pk) in self.keys or not self._may_publish(parent):
            return False
        if self.known.exists(data.slug, locale.pk):
            return False
        self.rows.append((line, data))
        try:
            self._begin()
            self._write(line, data, locale, parent)
        except RowError as exc:
            self.issues.append(ImportIssue(line, str(exc)))
        except ValidationError as exc:
            self.issues.append(ImportIssue(line, _validation_message(exc)))
        except Exception as exc:
            self._fail(exc)
            return True
        if len(self.rows) >= self.size:
            self.flush()
        return True

    def _may_publish(self, parent):
        """Whether the importing user may publish a new page under `parent` (publish refuses it otherwise)."""
        user = self.importer.user
        if user is None:
            return True
        if parent.pk not in self.publishable:
            depth = parent.depth + 1
            child = ArticlePage(path=ArticlePage._get_path(parent.path, depth, 1), depth=depth)
            self.publishable[parent.pk] = child.permissions_for_user(user).can_publish()
        return self.publishable[parent.pk]

    def _begin(self):
        if self.atomic is None:
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.outbox.start()

    def _targets(self, data, locale_id):
        wanted = [slug for slug in data.related if slug != data.slug]
        if not wanted:
            return [], []
        return _pick_targets(wanted, self.known.articles(wanted), locale_id)

    def _write(self, line, data, locale, parent):
        importer = self.importer
        targets, later = self._targets(data, locale.pk)
        page = importer.new_page(data, locale, self.known)
        importer.fill(page, replace(data, tags=[]), targets, new=True)
        # Every child relation held in memory, so that the revision and the references read no table.
        if not targets:
            page.related_links = []
        setattr(page, COMMENTS_RELATION_NAME, [])
        # Where treebeard's add_child puts the last child, and what Page.save then checks.
        if parent.pk not in self.last_paths:
            children = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).values_list(
                "path", "slug"
            )
            self.children[parent.pk] = {slug for _path, slug in children}
            self.last_paths[parent.pk] = max((path for path, _slug in children), default=None)
        last = self.last_paths[parent.pk]
        page.depth = parent.depth + 1
        if last is None:
            page.path = ArticlePage._get_path(parent.path, page.depth, 1)
        else:
            page.path = last
            page.path = page._inc_path()
        page._cached_parent_obj = parent
        if data.slug in self.children[parent.pk]:
            page.full_clean()  # refused, with Wagtail's own message
        else:
            # What full_clean checks against the database is known here: the slug is free among the siblings
            # (just above), the path is the next one, the translation key is new in this language
            # (new_page), and the locale, content type and owner were read from the database.
            page._check_slug_is_unique = _slug_known_free
            try:
                page.full_clean(exclude=_RELATIONS, validate_unique=False, validate_constraints=False)
            finally:
                del page._check_slug_is_unique
        page.set_url_path(parent)
        # What page.tags.set(names) holds in memory, from the import's tags.
        page.tagged_items = [ArticleTag(tag=tag) for tag in importer.tag_objects(page, data.tags)]
        self.last_paths[parent.pk] = page.path
        self.children[parent.pk].add(page.slug)
        self.parents.setdefault(parent.pk, [parent, 0])[1] += 1
        self.keys.add((data.slug, locale.pk))
        self.known.add(page)
        self.pages.append((line, page, later, data))

    def flush(self):
        """Write what the batch's pages still need, commit, and report its rows."""
        if self.atomic is None:
            self._reset()
            return
        try:
            if self.pages:
                self._link_within()
                with disable_reference_index_auto_update():
                    self._complete()
            self.outbox.write()
        except Exception as exc:
            self._fail(exc)
            return
        self.outbox.stop()
        atomic, self.atomic = self.atomic, None
        try:
            atomic.__exit__(None, None, None)
        except Exception as exc:  # the commit itself failed (PostgreSQL checks deferred constraints there)
            self.atomic = None
            self._replay(exc)
            return
        report = self.importer.report
        report.errors.extend(self.issues)
        for line, page, later, data in self.pages:
            report.created += 1
            if later:
                self.importer.pending_related.append((line, page.pk, data.related, "created"))
        self._reset()

    def _complete(self):
        from django.contrib.contenttypes.models import ContentType
        from wagtail.log_actions import get_active_log_context
        from wagtail.models import PageLogEntry
        from wagtail.signals import page_published, published

        from portal.core import pagecache

        user = self.importer.user
        pages = [page for _line, page, _later, _data in self.pages]
        _insert_pages(pages)
        self.known.saved()
        now = timezone.now()
        tagged, links = [], []
        for page in pages:
            for item in page.tagged_items.all():
                item.content_object_id = page.pk
                tagged.append(item)
            for link in page.related_links.all():
                link.page_id = page.pk
                links.append(link)
        page.tagged_items.model.objects.bulk_create(tagged)
        ArticleRelation.objects.bulk_create(links)
        page_type = ContentType.objects.get_for_model(ArticlePage, for_concrete_model=False)
        base_type = ContentType.objects.get_for_model(Page)
        # save_revision stores the page as add_child left it; publish then makes that revision live.
        revisions = Revision.objects.bulk_create(
            [
                Revision(
                    content_type=page_type,
                    base_content_type=base_type,
                    object_id=str(page.pk),
                    user=user,
                    created_at=now,
                    content=page.serializable_data(),
                    object_str=str(page),
                )
                for page in pages
            ]
        )
        for page, revision in zip(pages, revisions, strict=True):
            page.latest_revision = page.live_revision = revision
            page.latest_revision_created_at = page.first_published_at = page.last_published_at = now
        # One UPDATE for the batch: each page's (only) revision is its live and latest one, published now.
        own = Subquery(
            Revision.objects.filter(base_content_type=base_type, object_id=Cast(OuterRef("pk"), models.CharField()))
            .order_by("-pk")
            .values("pk")[:1]
        )
        Page.objects.filter(pk__in=[page.pk for page in pages]).update(
            latest_revision_id=own,
            live_revision_id=own,
            latest_revision_created_at=now,
            first_published_at=now,
            last_published_at=now,
        )
        for parent, added in self.parents.values():
            Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + added)
            parent.numchild += added
        context = get_active_log_context()
        entries = []
        for page, revision in zip(pages, revisions, strict=True):
            label = page.get_admin_display_title()
            for action, who, what in (
                ("wagtail.create", context.user, None),  # Page.save logs the creation for the page's owner (none)
                ("wagtail.edit", user or context.user, revision),
                ("wagtail.publish", user or context.user, revision),
            ):
                entries.append(
                    PageLogEntry(
                        content_type=page_type,
                        label=label,
                        action=action,
                        timestamp=now,
                        data={},
                        uuid=context.uuid,
                        user=who,
                        revision=what,
                        content_changed=True,
                        page=page,
                    )
                )
        PageLogEntry.objects.bulk_create(entries)
        pagecache.bump_on_commit(pagecache.ALWAYS)  # what each log entry's post_save asks for
        index_references([page for _line, page, later, _data in self.pages if not later])
        for page, revision in zip(pages, revisions, strict=True):
            page_published.send(sender=ArticlePage, instance=page, revision=revision)
            published.send(sender=ArticlePage, instance=page, revision=revision)

    def _link_within(self):
        """Related articles that came later in the batch are in now: link them before the revision is made,
        as finish_related would have (the same targets: the same language first, else the oldest)."""
        for n, (line, page, later, data) in enumerate(self.pages):
            if not later:
                continue
            targets, later = self._targets(data, page.locale_id)
            if not later:
                page.related_links = [ArticleRelation(target=target, sort_order=k) for k, target in enumerate(targets)]
                self.pages[n] = (line, page, later, data)

    def _fail(self, exc):
        self.outbox.stop()
        atomic, self.atomic = self.atomic, None
        if atomic is not None:
            atomic.__exit__(type(exc), exc, exc.__traceback__)
        self._replay(exc)

    def _replay(self, exc):
        logger.warning("a batch of %d new articles failed (%r); importing its rows one by one", len(self.rows), exc)
        rows = self.rows
        self._reset()
        self.importer.forget()
        for line, data in rows:
            self.importer.import_one(line, data)

    def _reset(self):
        self.rows, self.issues, self.pages = [], [], []
        self.keys, self.last_paths, self.parents, self.children = set(), {}, {}, {}


_RELATIONS = [field.name for field in ArticlePage._meta.concrete_fields if field.is_relation]


def _insert_pages(pages):
    """Write new ArticlePages as save_base would (its signals for each page), their page rows and their
    article rows each in as few INSERTs as the database takes."""
    from django.db import connections, router
    from django.db.models.signals import post_save, pre_save

    using = router.db_for_write(ArticlePage)
    if not connections[using].features.can_return_rows_from_bulk_insert:
        for page in pages:
            models.Model.save_base(page, using=using)
        return
    for page in pages:
        pre_save.send(sender=ArticlePage, instance=page, raw=False, using=using, update_fields=None)
    page_fields = [field for field in Page._meta.local_concrete_fields if field is not Page._meta.pk]
    # QuerySet._batched_insert is what bulk_create uses; bulk_create itself refuses a model with a parent.
    rows = Page.objects.using(using)._batched_insert(pages, page_fields, None)
    for page, (pk,) in zip(pages, rows, strict=True):
        page.id = page.page_ptr_id = pk
    ArticlePage.objects.using(using)._batched_insert(pages, ArticlePage._meta.local_concrete_fields, None)
    for page in pages:
        page._state.adding, page._state.db = False, using
        post_save.send(sender=ArticlePage, instance=page, created=True, update_fields=None, raw=False, using=using)


def _slug_known_free():
    """Stands in for Page._check_slug_is_unique where the batch has checked the siblings' slugs itself."""


def index_references(pages):
    """ReferenceIndex.create_or_update_for_object for each of these pages, with one read for all of them."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    if not pages:
        return
    content_types = {
        ContentType.objects.get_for_model(model, for_concrete_model=False).pk: model
        for model in [type(pages[0]), *pages[0]._meta.get_parent_list()]
    }
    content_type, base_type = list(content_types)[0], list(content_types)[-1]
    existing = {}
    for row_id, type_id, to_type, to_id, model_path, content_path, object_id in ReferenceIndex.objects.filter(
        base_content_type_id=base_type, object_id__in=[str(page.pk) for page in pages]
    ).values_list(
        "id", "content_type_id", "to_content_type", "to_object_id", "model_path", "content_path", "object_id"
    ):
        existing.setdefault(object_id, {})[(to_type, to_id, model_path, content_path)] = (type_id, row_id)
    new, gone = [], []
    for page in pages:
        references = set(ReferenceIndex._extract_references_from_object(page))
        known = existing.get(str(page.pk), {})
        new.extend(
            ReferenceIndex(
                content_type_id=content_type,
                base_content_type_id=base_type,
                object_id=page.pk,
                to_content_type_id=to_type,
                to_object_id=to_id,
                model_path=model_path,
                content_path=content_path,
                content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
            )
            for to_type, to_id, model_path, content_path in references - set(known)
        )
        gone.extend(
            row_id
            for reference, (type_id, row_id) in known.items()
            if reference not in references and type_id in content_types
        )
    ReferenceIndex.objects.bulk_create(new, ignore_conflicts=connection.features.supports_ignore_conflicts)
    if gone:
        ReferenceIndex.objects.filter(id__in=gone).delete()


def import_articles(rows, *, dry_run=False, user=None, progress=None, batch_size=BATCH_SIZE):
    """Import (line number, row dict or error) pairs; returns an ImportReport.

    Each row is atomic, or (new articles in existing categories) each batch of up to `batch_size` rows, whose
    failure imports its rows again one by one: the result and the report are the same either way
    (`batch_size=1` is the row-by-row path). A dry run does all the same work inside one transaction that is
    then rolled back, so its report is exactly what a real run would do, and nothing is written.
    """
    report = ImportReport(dry_run=dry_run)
    importer = _Importer(user, report, batch_size)

    def run():
        importer.import_rows(rows, progress)
        importer.finish_related()

    # Each row still commits (and writes its search outbox row) on its own; the search drain and the page
    # cache's staleness bump that every row asks for happen once, when the whole file is in (portal.core.bulk).
    if dry_run:
        with transaction.atomic():
            with bulk.deferred():
                run()
            transaction.set_rollback(True)
    else:
        with bulk.deferred():
            run()
        signals.articles_imported.send(sender=None, report=report)
    report.errors.sort(key=lambda issue: issue.line)
    report.warnings.sort(key=lambda issue: issue.line)
    return report


# --- Import from the admin -------------------------------------------------------------------------------
class ImportFileError(Exception):
    """The uploaded file cannot be imported at all; the message says why, in the uploader's language."""


def _report_data(report):
    return {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "errors": [[issue.line, issue.message] for issue in report.errors],
        "warnings": [[issue.line, issue.message] for issue in report.warnings],
    }


def _decoded_lines(data):
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The file is not UTF-8 text (byte %(position)d). Save it as UTF-8 and upload it again.")
            % {"position": exc.start + 1}
        ) from exc
    return text.splitlines(keepends=True)


@transaction.atomic
def upload_article_import(user, *, file_name, data, file_format=None, language=""):
    """Keep an uploaded file and check it: a dry run of the whole import, in a background task.

    Returns the ArticleImport; its `check_report` appears once the dry run has finished (at once with the
    immediate task backend). Raises ImportFileError for a file that has no rows or is not UTF-8.
    """
    from kb import transfer
    from kb.models import ArticleImport
    from kb.tasks import run_article_import

    fmt = file_format or transfer.guess_format(file_name)
    if fmt not in transfer.FORMATS:
        raise ImportFileError(_("Choose JSON Lines or CSV."))
    lines = _decoded_lines(data)
    total = sum(1 for _row in transfer.read_rows(lines, fmt))
    if not total:
        raise ImportFileError(_("The file has no articles in it."))
    job = ArticleImport.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        file_name=file_name[:255],
        file_format=fmt,
        language=(language or settings.LANGUAGE_CODE)[:10],
        source="".join(lines),
        total_rows=total,
    )
    transaction.on_commit(lambda: run_article_import.enqueue(job.pk))
    return job


@transaction.atomic
def start_article_import(user, job):
    """Import a checked file for real (in a background task). Raises ImportFileError if it is not waiting."""
    from kb.models import ArticleImport
    from kb.tasks import run_article_import

    job = ArticleImport.objects.select_for_update().get(pk=job.pk)
    if job.status != ArticleImport.Status.CHECKED:
        raise ImportFileError(
            _("This file is not waiting to be imported (it is: %(status)s).") % {"status": job.get_status_display()}
        )
    job.status = ArticleImport.Status.QUEUED
    job.imported_by = user
    job.save(update_fields=["status", "imported_by"])
    transaction.on_commit(lambda: run_article_import.enqueue(job.pk))
    return job


PROGRESS_EVERY_SECONDS = 0.5


def run_article_import(job_id):
    """Do what the ArticleImport is waiting for: its dry run, or its import. Safe to run twice.

    The import writes its progress (rows done) at most twice a second; each row is its own transaction, so
    the progress page sees it. A dry run is one transaction rolled back at the end, so it reports only then.
    """
    import time

    from django.utils import translation

    from kb import transfer
    from kb.models import ArticleImport

    job = ArticleImport.objects.filter(pk=job_id).select_related("imported_by").first()
    if job is None or job.status not in (ArticleImport.Status.CHECKING, ArticleImport.Status.QUEUED):
        return None
    dry_run = job.status == ArticleImport.Status.CHECKING
    if not dry_run:
        claimed = ArticleImport.objects.filter(pk=job.pk, status=ArticleImport.Status.QUEUED).update(
            status=ArticleImport.Status.IMPORTING, started_at=timezone.now(), processed_rows=0
        )
        if not claimed:  # another worker took it
            return None
    done = [0, time.monotonic()]

    def progress():
        done[0] += 1
        if not dry_run and time.monotonic() - done[1] >= PROGRESS_EVERY_SECONDS:
            ArticleImport.objects.filter(pk=job.pk).update(processed_rows=done[0])
            done[1] = time.monotonic()

    try:
        with translation.override(job.language):
            rows = transfer.read_rows(job.source.splitlines(keepends=True), job.file_format)
            # The check looks at the file, whoever uploaded it; the import's revisions are the importer's.
            user = None if dry_run else job.imported_by
            report = import_articles(rows, dry_run=dry_run, user=user, progress=progress)
    except Exception as exc:
        logger.exception("article import %s failed", job.pk)
        ArticleImport.objects.filter(pk=job.pk).update(
            status=ArticleImport.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    if dry_run:
        ArticleImport.objects.filter(pk=job.pk).update(
            status=ArticleImport.Status.CHECKED, check_report=_report_data(report)
        )
    else:
        ArticleImport.objects.filter(pk=job.pk).update(
            status=ArticleImport.Status.DONE,
            import_report=_report_data(report),
            processed_rows=done[0],
            finished_at=timezone.now(),
        )
    return _report_data(report)
