"""What readers tell us about articles: "was this helpful?" votes with comments, agents' "used on a call"
clicks, and the per-article counters derived from both (kept by kb.actions in the same transaction)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ArticleFeedback(models.Model):
    article = models.ForeignKey(
        "kb.ArticlePage", verbose_name=_("article"), on_delete=models.CASCADE, related_name="feedback"
    )
    helpful = models.BooleanField(_("helpful"))
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    # A SHA-256 of the visitor's signed-cookie id (or of their account id): enough to allow one vote per
    # visitor and article, useless for tracking anyone elsewhere.
    visitor_key = models.CharField(_("visitor key"), max_length=64)
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    # Null until the comment has been e-mailed to the article's owner (so a retried task sends it once).
    owner_notified_at = models.DateTimeField(_("owner notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("article feedback")
        verbose_name_plural = _("article feedback")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["article", "visitor_key"], name="kb_feedback_once_per_visitor"),
        ]

    def __str__(self):
        return f"{self.article_id}: {'+' if self.helpful else '-'}"


class ArticleUsage(models.Model):
    """An agent read this article to a caller. Counted apart from customers' votes."""

    article = models.ForeignKey(
        "kb.ArticlePage", verbose_name=_("article"), on_delete=models.CASCADE, related_name="usages"
    )
    # Null once the agent's account is deleted: the count of uses survives the account.
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("article use on a call")
        verbose_name_plural = _("article uses on calls")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["article", "agent", "created_at"], name="kb_usage_article_agent")]

    def __str__(self):
        return f"{self.article_id} by {self.agent_id}"


class ArticleStats(models.Model):
    """Denormalised counters of ArticleFeedback and ArticleUsage rows per article page.

    Kept by kb.actions in the same transaction as the row they count, so listings ("popular answers") and
    the needs-review report read one row per article instead of aggregating the feedback table.
    """

    article = models.OneToOneField(
        "kb.ArticlePage", verbose_name=_("article"), primary_key=True, on_delete=models.CASCADE, related_name="stats"
    )
    helpful_count = models.PositiveIntegerField(_("helpful votes"), default=0)
    unhelpful_count = models.PositiveIntegerField(_("not helpful votes"), default=0)
    used_count = models.PositiveIntegerField(_("uses on calls"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("article statistics")
        verbose_name_plural = _("article statistics")

    def __str__(self):
        return f"{self.article_id}: +{self.helpful_count} -{self.unhelpful_count} calls {self.used_count}"

    @property
    def votes(self):
        return self.helpful_count + self.unhelpful_count

    @property
    def helpful_percent(self):
        """Share of helpful votes, 0-100, or None before the first vote."""
        return round(100 * self.helpful_count / self.votes) if self.votes else None
