"""Live Q&A rows: questions (pre-moderated), one vote per viewer, a per-broadcast change counter, the audit log.

A broadcast is the episode's `translation_key`: the Chinese and English pages of one episode share their
questions. Every change to a question takes the next value of its broadcast's counter (`LiveState.version`,
incremented with an UPDATE that serialises writers of that broadcast) and stores it in `Question.version`,
so "what changed since cursor N" is one range scan of the (broadcast, version) index.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Question(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    broadcast = models.UUIDField(_("broadcast"), db_index=False)  # the episode's translation_key
    # The page it was asked on (its language); the Q&A is shared by the episode's translations.
    episode = models.ForeignKey("videos.EpisodePage", on_delete=models.CASCADE, related_name="questions")
    # Nullable: a deleted account's questions stay with the replay, without a name.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("question"))  # exactly as written (after masking); escaped wherever shown
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    pinned = models.BooleanField(default=False)
    answer = models.TextField(_("answer"), blank=True)
    # Nullable: set when a moderator answers.
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    vote_count = models.PositiveIntegerField(default=0)  # denormalised: QuestionVote rows, written by actions only
    version = models.BigIntegerField(default=0)  # the broadcast counter's value at the last change
    # Nullable: the draft KB article a moderator made from this answer.
    kb_article = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("live question")
        verbose_name_plural = _("live questions")
        indexes = [models.Index(fields=["broadcast", "version"], name="videos_question_changes")]
        permissions = [("moderate_question", "Can moderate live questions")]

    def __str__(self):
        return self.text[:60]

    @property
    def answered(self):
        return bool(self.answer)


class QuestionVote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "user"], name="videos_one_vote_per_viewer")]

    def __str__(self):
        return f"{self.user_id} -> {self.question_id}"


class LiveState(models.Model):
    """The change counter of one broadcast (see the module docstring)."""

    broadcast = models.UUIDField(primary_key=True)
    version = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.broadcast} @ {self.version}"


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        ASK = "ask", _("Asked")
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        PIN = "pin", _("Pinned")
        UNPIN = "unpin", _("Unpinned")
        ANSWER = "answer", _("Answered")
        KB_DRAFT = "kb_draft", _("Drafted KB article")

    # Nullable: a deleted moderator's entries stay.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_repr = models.CharField(max_length=255)  # readable even after the question is gone
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("video audit entry")
        verbose_name_plural = _("video audit entries")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.target_repr}"
