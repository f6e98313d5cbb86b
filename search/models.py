"""Search's own tables: the indexing outbox, the database fallback's entries, staff-edited synonyms and
dictionary words, and the search analytics (query log, clicks, "used on call", agents' recent articles).

The outbox is written in the same transaction as the content change (search/handlers.py) and drained by
a background task (search/indexing.py). SearchEntry is the database fallback's copy of every indexed
document, kept by the same drain; on SQLite an FTS5 table and on PostgreSQL a GIN expression index
(both made by migration 0002) index its token columns.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.audiences import Audience


class IndexOutbox(models.Model):
    """One change to apply to the search indices. Rows are deleted only after the index acknowledged it."""

    kind = models.CharField(max_length=20)
    object_pk = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    # Backoff: a failed row waits until then before the next try.
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("indexing outbox row")
        verbose_name_plural = _("indexing outbox")
        indexes = [models.Index(fields=["kind", "object_pk"], name="search_outbox_object")]

    def __str__(self):
        return f"{self.kind}:{self.object_pk}"


class SearchEntry(models.Model):
    """The database fallback's copy of one indexed document (and the source of "did you mean" words)."""

    kind = models.CharField(max_length=20)
    object_pk = models.CharField(max_length=64)
    locale = models.CharField(max_length=12)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    slug = models.CharField(max_length=255, blank=True)
    title = models.CharField(max_length=500)
    url = models.CharField(max_length=500)
    summary = models.TextField(blank=True)  # the short answer (articles) or accepted answer (threads)
    body = models.TextField(blank=True)  # plain text, for snippets
    notes = models.TextField(blank=True)  # agent notes: shown to agents only
    facet = models.CharField(max_length=255, blank=True)  # category path, board or series key
    facet_label = models.CharField(max_length=255, blank=True)
    tags = models.JSONField(default=list, blank=True)
    channels = models.JSONField(default=list, blank=True)
    accepted = models.BooleanField(default=False)
    rank_boost = models.FloatField(default=1.0)  # popularity / helpfulness multiplier, >= 1
    # The source object's own last change: search_check compares it with the database.
    updated_at = models.DateTimeField()
    # Token columns (space-joined words, bigrams and stems from search.analysis).
    title_tokens = models.TextField(blank=True)
    body_tokens = models.TextField(blank=True)
    notes_tokens = models.TextField(blank=True)
    suggest_text = models.TextField(blank=True)  # normalised title and tags, for suggestions

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [models.UniqueConstraint(fields=["kind", "object_pk"], name="search_entry_unique_object")]
        indexes = [models.Index(fields=["locale", "audience", "kind"], name="search_entry_scope")]

    def __str__(self):
        return f"{self.kind}:{self.object_pk} {self.title}"


class SynonymGroup(models.Model):
    """Words that mean the same thing to customers (U盾 = USB Key = 网银盾). Applied at query time."""

    terms = models.TextField(
        _("terms"),
        help_text=_(
            "Words or phrases that mean the same, one per line or separated by commas, e.g. U盾, USB Key, 网银盾."
        ),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonyms")
        ordering = ["id"]

    def __str__(self):
        return " = ".join(self.term_list())

    def term_list(self):
        from search.synonyms import split_terms

        return split_terms(self.terms)


class DictionaryWord(models.Model):
    """A word jieba must keep whole (product names, banking terms), on top of the shipped dictionary."""

    word = models.CharField(_("word"), max_length=40, unique=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dictionary word")
        verbose_name_plural = _("dictionary words")
        ordering = ["word"]

    def __str__(self):
        return self.word


class VariantForm(models.Model):
    """A variant spelling searched as its standard form (帐 = 账, so 转帐 finds 转账), in documents and queries.

    Applied in search.analysis.normalise, after traditional-to-simplified conversion: a single character is
    replaced wherever it occurs, a longer variant (登陆 for 登录) wherever the whole string occurs. Saving one
    re-indexes the documents that contain it.
    """

    variant = models.CharField(
        _("variant"), max_length=20, unique=True, help_text=_("The form customers type, e.g. 帐 or 转帐.")
    )
    standard = models.CharField(
        _("standard form"), max_length=20, help_text=_("The form it is searched as, e.g. 账 or 转账.")
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("variant form")
        verbose_name_plural = _("variant forms")
        ordering = ["variant"]

    def __str__(self):
        return f"{self.variant} → {self.standard}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from search.analysis import normalise

        variant, standard = normalise(self.variant or "").strip(), normalise(self.standard or "").strip()
        if not variant or not standard:
            raise ValidationError(_("Both the variant and its standard form are needed."))
        if variant == standard:
            raise ValidationError(_("The variant and its standard form are the same."))


class SearchQuery(models.Model):
    """One search as it was asked. The text is masked (card, ID and phone numbers); no user is stored."""

    class Role(models.TextChoices):
        ANONYMOUS = "anonymous", _("Anonymous")
        CUSTOMER = "customer", _("Customer")
        AGENT = "agent", _("Agent")
        STAFF = "staff", _("Staff")

    class Source(models.TextChoices):
        PAGE = "page", _("Search page")
        CONSOLE = "console", _("Agent console")
        API = "api", _("API")

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    query = models.CharField(max_length=200)  # masked
    normalised = models.CharField(max_length=200, db_index=True)  # masked, normalised: what reports group by
    locale = models.CharField(max_length=12)
    kind = models.CharField(max_length=20, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    role = models.CharField(max_length=10, choices=Role.choices)
    backend = models.CharField(max_length=15)
    result_count = models.PositiveIntegerField()
    took_ms = models.FloatField(default=0)  # the engine's own time
    clicked = models.BooleanField(default=False)  # denormalised from SearchEvent for the report
    # Chosen when the search is asked, before the row exists: GETs hand the row to a buffered background write
    # (search.searchlog) and the click token carries this key. Null for rows logged before keys existed.
    key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("search query")
        verbose_name_plural = _("search queries")

    def __str__(self):
        return self.query


class SearchEvent(models.Model):
    """A click on a result, or an agent marking a result "used on call" / copying its short answer."""

    class Action(models.TextChoices):
        CLICK = "click", _("Opened")
        COPY = "copy", _("Copied short answer")
        USED = "used", _("Used on call")

    query = models.ForeignKey(SearchQuery, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=10, choices=Action.choices)
    kind = models.CharField(max_length=20)
    object_pk = models.CharField(max_length=64)
    position = models.PositiveSmallIntegerField(null=True, blank=True)  # 1-based rank in the results; null if unknown

    class Meta:
        verbose_name = _("search event")
        verbose_name_plural = _("search events")
        indexes = [models.Index(fields=["action", "created_at"], name="search_event_action_time")]

    def __str__(self):
        return f"{self.action} {self.kind}:{self.object_pk}"


class RecentUse(models.Model):
    """The articles an agent used on calls recently, for the console's "recently used" list."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    object_pk = models.CharField(max_length=64)
    used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("recently used result")
        verbose_name_plural = _("recently used results")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "object_pk"], name="search_recent_unique")]
        indexes = [models.Index(fields=["user", "-used_at"], name="search_recent_user")]

    def __str__(self):
        return f"{self.kind}:{self.object_pk}"
