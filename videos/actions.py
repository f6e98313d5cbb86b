"""Every change of state in the videos area: one function each, atomic, with an audit entry.

Views, the demo and the tests call these. Each checks VideosPolicy and raises ActionRefused (translated
message, HTTP status) when the user may not act. Every change to a question takes the next value of its
broadcast's counter (`_next_version`, an UPDATE that serialises the writers of one broadcast), so the poll
endpoint can answer "what changed since N" from one index range. `videos.signals.question_changed` is sent
inside the transaction.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal.core import ratelimit
from portal.core.masking import mask_personal_data
from videos.models import AuditEntry, EpisodePage, LiveState, Question, QuestionVote
from videos.policies import VideosPolicy
from videos.signals import question_changed

Action = AuditEntry.Action


class ActionRefused(Exception):
    """The user may not do this now. `message` is translated and meant for them; `status` is the HTTP status."""

    def __init__(self, message, *, code="refused", status=403):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


@dataclass
class Asked:
    question: Question
    notices: list = field(default_factory=list)


# --- helpers ----------------------------------------------------------------------------------------------
def _next_version(broadcast):
    """The broadcast's next change number. The UPDATE takes the row lock until commit (PostgreSQL) or the
    database write lock (SQLite), so versions become visible in the order they were handed out."""
    updated = LiveState.objects.filter(broadcast=broadcast).update(version=F("version") + 1)
    if not updated:
        try:
            with transaction.atomic():
                LiveState.objects.create(broadcast=broadcast, version=0)
        except IntegrityError:
            pass  # another writer created it first
        LiveState.objects.filter(broadcast=broadcast).update(version=F("version") + 1)
    return LiveState.objects.values_list("version", flat=True).get(broadcast=broadcast)


def _audit(actor, action, question, **data):
    return AuditEntry.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        action=action,
        question=question,
        target_repr=str(question)[:255],
        data=data,
    )


def _touch(question, action, actor, audit=True, **data):
    """Give the question the next version, save it, audit and signal (inside the caller's transaction)."""
    question.version = _next_version(question.broadcast)
    question.save()
    if audit:
        _audit(actor, action, question, **data)
    question_changed.send(sender=Question, question=question, action=action)
    return question


def _locked(question):
    return Question.objects.select_for_update().get(pk=question.pk)


def _require_moderator(user):
    if not VideosPolicy.can_moderate(user):
        raise ActionRefused(_("Only moderators can do that."))


def _check_rate(user, ip):
    if VideosPolicy.can_moderate(user):
        return
    for scope, limit, seconds in settings.PORTAL_VIDEOS_QUESTION_RATE_LIMITS:
        key = f"videos:ask:{scope}:{user.pk if scope == 'user' else ip}"
        if (scope == "user" or ip) and not ratelimit.hit(key, limit, seconds):
            raise ActionRefused(
                _("You are asking too quickly. Please wait a little and try again; your question is kept below."),
                code="rate_limited",
                status=429,
            )


# --- viewers ----------------------------------------------------------------------------------------------
def ask_question(*, episode, user, text, ip=None, now=None):
    """A viewer's question to a live episode: masked, stored exactly otherwise, waiting for a moderator."""
    allowed, reason = VideosPolicy.can_ask(user, episode, now)
    if not allowed:
        if reason == "sign_in":
            raise ActionRefused(_("Please sign in to ask a question."), code="sign_in", status=403)
        raise ActionRefused(_("Questions can be asked only while the broadcast is live."), code="not_live", status=409)
    text = (text or "").replace("\x00", "").strip()  # NUL cannot be stored (PostgreSQL); nothing else is changed
    if not text:
        raise ActionRefused(_("Please write your question."), code="empty", status=400)
    limit = settings.PORTAL_VIDEOS_QUESTION_MAX_CHARS
    if len(text) > limit:
        raise ActionRefused(
            _("Please keep your question under %(limit)d characters (it has %(count)d).")
            % {"limit": limit, "count": len(text)},
            code="too_long",
            status=400,
        )
    _check_rate(user, ip)
    masked = mask_personal_data(text)
    with transaction.atomic():
        question = Question(broadcast=episode.translation_key, episode=episode, author=user, text=masked.text)
        _touch(question, Action.ASK, user, masked=masked.kinds)
    notices = [masked.message()] if masked.changed else []
    notices.append(_("Thank you. Your question will appear once a moderator has approved it."))
    return Asked(question, notices)


def vote_question(*, question, user):
    """One up-vote per viewer and question; a second vote changes nothing. Returns True when counted."""
    if not VideosPolicy.can_vote(user, question):
        raise ActionRefused(_("Please sign in to vote."), code="sign_in", status=403)
    with transaction.atomic():
        try:
            with transaction.atomic():
                QuestionVote.objects.create(question=question, user=user)
        except IntegrityError:
            return False
        Question.objects.filter(pk=question.pk).update(vote_count=F("vote_count") + 1)
        question = _locked(question)
        _touch(question, "vote", user, audit=False)
    return True


# --- moderators -------------------------------------------------------------------------------------------
def _moderate(question, user, action, change, **data):
    _require_moderator(user)
    with transaction.atomic():
        question = _locked(question)
        change(question)
        return _touch(question, action, user, **data)


def approve_question(*, question, user):
    def change(q):
        q.state = Question.State.APPROVED

    return _moderate(question, user, Action.APPROVE, change)


def reject_question(*, question, user, reason=""):
    def change(q):
        q.state = Question.State.REJECTED
        q.pinned = False

    return _moderate(question, user, Action.REJECT, change, reason=(reason or "")[:500])


def pin_question(*, question, user, pinned=True):
    def change(q):
        if q.state != Question.State.APPROVED:
            raise ActionRefused(_("Approve the question before pinning it."), code="not_approved", status=409)
        q.pinned = pinned

    return _moderate(question, user, Action.PIN if pinned else Action.UNPIN, change)


def answer_question(*, question, user, answer):
    """A short written answer; answering also approves the question."""
    answer = (answer or "").replace("\x00", "").strip()
    if not answer:
        raise ActionRefused(_("Please write the answer."), code="empty", status=400)
    limit = settings.PORTAL_VIDEOS_ANSWER_MAX_CHARS
    if len(answer) > limit:
        raise ActionRefused(
            _("Please keep the answer under %(limit)d characters.") % {"limit": limit}, code="too_long", status=400
        )
    masked = mask_personal_data(answer).text

    def change(q):
        q.state = Question.State.APPROVED
        q.answer = masked
        q.answered_by = user
        q.answered_at = timezone.now()

    return _moderate(question, user, Action.ANSWER, change)


def draft_kb_article(*, question, user):
    """Turn an answered question into a draft KB article (kb.actions.create_draft_article); returns the draft."""
    from django.utils.html import escape, linebreaks

    from kb import actions as kb_actions
    from kb.models import CategoryPage

    _require_moderator(user)
    if not question.answer:
        raise ActionRefused(_("Only answered questions can become a KB article."), code="unanswered", status=409)
    episode = EpisodePage.objects.select_related("locale").get(pk=question.episode_id)
    category = CategoryPage.objects.filter(locale_id=episode.locale_id).order_by("path").first()
    if category is None:
        raise ActionRefused(_("There is no knowledge-base category in this language yet."), status=409)
    with transaction.atomic():
        question = _locked(question)  # re-read under the lock: two moderators may click at once
        if question.kb_article_id:
            raise ActionRefused(_("A KB draft was already made from this answer."), code="exists", status=409)
        draft = kb_actions.create_draft_article(
            category=category,
            title=question.text[:255],
            answer_html=linebreaks(escape(question.answer)),
            short_answer=question.answer[:500],
            user=user,
            source_note=_("From the live Q&A of “%(episode)s”") % {"episode": episode.title},
        )
        question.kb_article_id = draft.pk
        _touch(question, Action.KB_DRAFT, user, article=draft.pk)
    return draft


# --- workflow ---------------------------------------------------------------------------------------------
# Msgids: stored as written, read in the reader's language (portal/core/workflows.py).
WORKFLOW_NAME = gettext_noop("Video review")
TASK_NAME = gettext_noop("Video reviewers approve")


def ensure_review_workflow():
    """The "Video review" workflow (KB reviewers approve) on every video index: editors draft and submit
    episodes, a reviewer publishes. Idempotent."""
    from portal.core import roles
    from portal.core.workflows import ensure_workflow
    from videos.models import VideoIndexPage

    return ensure_workflow(WORKFLOW_NAME, TASK_NAME, roles.KB_REVIEWERS, VideoIndexPage.objects.all())
