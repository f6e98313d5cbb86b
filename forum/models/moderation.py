"""Moderation records: customers' flags on posts, sanctions on accounts, and the audit log of every action.

AuditEntry rows are written only by forum/actions.py, inside the transaction of the action they record,
so the log can never disagree with what happened. They are never edited or deleted through the site.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Flag(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Abusive or offensive")
        PERSONAL_DATA = "personal_data", _("Contains personal data")
        OFF_TOPIC = "off_topic", _("Off-topic")

    class Outcome(models.TextChoices):
        OPEN = "open", _("Waiting for review")
        UPHELD = "upheld", _("Upheld: post hidden")
        DISMISSED = "dismissed", _("Dismissed: post kept")

    post = models.ForeignKey("forum.Post", on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    # Nullable: set when a moderator reviews the flag.
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="forum_flag_once_per_user")]
        indexes = [models.Index(fields=["outcome", "created_at"], name="forum_flag_queue")]

    def __str__(self):
        return f"{self.get_reason_display()} #{self.post_id}"


class Sanction(models.Model):
    class Kind(models.TextChoices):
        WARNING = "warning", _("Warning")
        SUSPENSION = "suspension", _("Suspension")
        BAN = "ban", _("Ban")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_sanctions")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=500)
    # Nullable: bans and warnings have no end; a suspension ends here.
    ends_at = models.DateTimeField(null=True, blank=True)
    # Nullable: set when a moderator lifts the sanction early.
    lifted_at = models.DateTimeField(null=True, blank=True)
    # Nullable: the moderator's account may be deleted; the sanction stays.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.user_id}"

    def is_active(self, now=None):
        now = now or timezone.now()
        if self.kind == self.Kind.WARNING or self.lifted_at is not None:
            return False
        return self.ends_at is None or self.ends_at > now

    @classmethod
    def active_q(cls, now=None):
        """The rule of is_active as a filter: not a warning, not lifted, not ended."""
        now = now or timezone.now()
        return (
            ~models.Q(kind=cls.Kind.WARNING)
            & models.Q(lifted_at__isnull=True)
            & (models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now))
        )


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        HIDE = "hide", _("Hid")
        UNHIDE = "unhide", _("Unhid")
        AUTO_HIDE = "auto_hide", _("Hidden automatically after flags")
        DISMISS_FLAGS = "dismiss_flags", _("Dismissed flags")
        LOCK = "lock", _("Locked")
        UNLOCK = "unlock", _("Unlocked")
        PIN = "pin", _("Pinned")
        UNPIN = "unpin", _("Unpinned")
        CLOSE = "close", _("Closed")
        REOPEN = "reopen", _("Reopened")
        MOVE = "move", _("Moved")
        MERGE = "merge", _("Merged")
        SPLIT = "split", _("Split")
        DUPLICATE = "duplicate", _("Closed as duplicate")
        EDIT = "edit", _("Edited")
        ACCEPT = "accept", _("Accepted answer")
        UNACCEPT = "unaccept", _("Withdrew accepted answer")
        CLAIM = "claim", _("Claimed")
        RELEASE = "release", _("Released claim")
        WARN = "warn", _("Warned")
        SUSPEND = "suspend", _("Suspended")
        BAN = "ban", _("Banned")
        LIFT = "lift", _("Lifted sanction")
        KB_DRAFT = "kb_draft", _("Drafted KB article")
        RATING_REOPEN = "rating_reopen", _("Re-opened by a dissatisfied rating")
        ESCALATE = "escalate", _("Escalated to supervisors")

    # Nullable: system actions (auto-hide) have no actor; a deleted moderator's entries stay.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    reason = models.CharField(max_length=500, blank=True)
    # The target, kept readable even after it is gone: the FKs below may be nulled, target_repr stays.
    target_repr = models.CharField(max_length=255)
    thread = models.ForeignKey("forum.Thread", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    post = models.ForeignKey("forum.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)  # details: from/to board, merged ids, until...
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at"], name="forum_audit_recent")]

    def __str__(self):
        return f"{self.get_action_display()}: {self.target_repr}"
