"""Polls: the poll of a new thread and a member's vote (counters by F() under the poll row's lock)."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.actions.base import ActionRefused, announce
from forum.models import (
    Poll,
    PollBallot,
    PollOption,
    PollVote,
)
from forum.policies import ForumPolicy
from portal.core.masking import mask_personal_data


def prepare_poll(poll, prepared):
    question = mask_personal_data(" ".join((poll.get("question") or "").split())).text[:200]
    labels = []
    for label in poll.get("options") or []:
        label = mask_personal_data(" ".join((label or "").split())).text[:120]
        if label and label not in labels:
            labels.append(label)
    if not question:
        question = prepared.title[:200]
    if not 2 <= len(labels) <= settings.PORTAL_FORUM_POLL_MAX_OPTIONS:
        raise ActionRefused(
            _("A poll needs between 2 and %(max)d different options.")
            % {"max": settings.PORTAL_FORUM_POLL_MAX_OPTIONS},
            code="poll",
            status=400,
        )
    closes_at = poll.get("closes_at")
    if closes_at is not None and closes_at <= timezone.now():
        raise ActionRefused(_("The poll's closing time must be in the future."), code="poll", status=400)
    return {"question": question, "labels": labels, "multiple": bool(poll.get("multiple")), "closes_at": closes_at}


def create_poll(thread, spec):
    poll = Poll.objects.create(
        thread=thread, question=spec["question"], multiple=spec["multiple"], closes_at=spec["closes_at"]
    )
    PollOption.objects.bulk_create(
        [PollOption(poll=poll, label=label, position=index) for index, label in enumerate(spec["labels"])]
    )
    return poll


def vote_poll(user, poll, option_ids):
    if not ForumPolicy.can_vote(user, poll):
        raise ActionRefused(_("This poll is closed."), code="closed")
    wanted = {int(pk) for pk in option_ids or [] if str(pk).isdigit()}
    options = list(PollOption.objects.filter(poll=poll, pk__in=wanted))
    if not options or len(options) != len(wanted) or (not poll.multiple and len(options) != 1):
        message = _("Please choose one or more options.") if poll.multiple else _("Please choose one option.")
        raise ActionRefused(message, code="choice", status=400)
    try:
        with transaction.atomic():
            Poll.objects.select_for_update().filter(pk=poll.pk).first()
            PollBallot.objects.create(poll=poll, user=user)
            PollVote.objects.bulk_create([PollVote(poll=poll, option=option, user=user) for option in options])
            PollOption.objects.filter(pk__in=[o.pk for o in options]).update(vote_count=F("vote_count") + 1)
            Poll.objects.filter(pk=poll.pk).update(voter_count=F("voter_count") + 1)
            announce(poll.thread, "vote_poll")
    except IntegrityError as exc:
        raise ActionRefused(_("You have already voted in this poll."), code="voted", status=409) from exc
    poll.refresh_from_db(fields=["voter_count"])
    return poll
