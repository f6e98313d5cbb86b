"""Polls attached to threads on boards that allow them: single or multiple choice, one vote per account.

PollBallot and PollVote rows are the truth; PollOption.vote_count and Poll.voter_count are denormalised with F()
in forum.actions.vote_poll so the results need no aggregate query.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Poll(models.Model):
    thread = models.OneToOneField("forum.Thread", on_delete=models.CASCADE, related_name="poll")
    question = models.CharField(_("question"), max_length=200)
    multiple = models.BooleanField(_("allow several choices"), default=False)
    # Nullable: a poll without a closing time stays open until the thread is closed.
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    voter_count = models.PositiveIntegerField(default=0)  # denormalised: accounts that voted
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.question

    def is_closed(self, now=None):
        if self.thread.is_closed:
            return True
        return self.closes_at is not None and self.closes_at <= (now or timezone.now())


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("option"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    vote_count = models.PositiveIntegerField(default=0)  # denormalised: votes for this option

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.label


class PollBallot(models.Model):
    """One per account and poll: the database itself refuses a second vote."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "user"], name="forum_pollballot_unique")]

    def __str__(self):
        return f"{self.user_id} @ {self.poll_id}"


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["option", "user"], name="forum_pollvote_unique")]
        indexes = [models.Index(fields=["poll", "user"], name="forum_pollvote_voter")]

    def __str__(self):
        return f"{self.user_id} → {self.option_id}"
