"""Answers and ratings: the accepted answer, the asker's satisfaction rating (a dissatisfied one re-opens the
thread), and the knowledge-base draft made from an answered thread (through kb.actions)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from forum import markdown
from forum.actions.base import (
    Action,
    ActionRefused,
    announce,
    audit,
    locked_thread,
    natural_status,
    notify_after_commit,
)
from forum.actions.sla import first_response_hours
from forum.models import (
    AnswerRating,
    Post,
    Thread,
)
from forum.models.threads import State
from forum.policies import ForumPolicy
from portal.core.masking import mask_personal_data


def accept_answer(user, post, *, notify=True):
    thread = post.thread
    if not ForumPolicy.can_accept(user, thread):
        raise ActionRefused(_("Only the person who asked, or a moderator, can accept an answer."))
    if post.is_opening or post.state != State.PUBLISHED:
        raise ActionRefused(_("This post cannot be the accepted answer."), code="post", status=400)
    with transaction.atomic():
        locked = locked_thread(thread)
        locked.accepted_post = post
        locked.status = natural_status(locked)
        locked.save(update_fields=["accepted_post", "status", "updated_at"])
        if ForumPolicy.can_moderate(user, locked.board) and locked.author_id != user.pk:
            audit(user, Action.ACCEPT, thread=locked, post=post, target_user=post.author)
        announce(locked, "accept_answer")
        if notify:
            notify_after_commit("notify_accepted", locked.pk)
    return locked


def unaccept_answer(user, thread):
    if not ForumPolicy.can_accept(user, thread):
        raise ActionRefused(_("Only the person who asked, or a moderator, can change the accepted answer."))
    with transaction.atomic():
        locked = locked_thread(thread)
        locked.accepted_post = None
        locked.status = natural_status(locked)
        locked.save(update_fields=["accepted_post", "status", "updated_at"])
        if ForumPolicy.can_moderate(user, locked.board) and locked.author_id != user.pk:
            audit(user, Action.UNACCEPT, thread=locked)
        announce(locked, "unaccept_answer")
    return locked


def rate_answer(user, thread, rating, comment="", notify=True):
    """The asker says how satisfied they are with the answer (again to change it).

    "Dissatisfied" with an answered thread re-opens it: it goes back to the board's moderators in the SLA
    queue (marked re-opened, with a fresh first-response target) and the supervisors are told by e-mail.
    A later, better rating of a re-opened thread that nobody has answered again takes that back.
    `notify=False` (demo history) re-opens without telling anyone, as the other actions' `notify` does.
    """
    if not ForumPolicy.can_rate(user, thread):
        raise ActionRefused(_("Only the person who asked can rate the answer, once there is one."))
    if rating not in AnswerRating.Rating.values:
        raise ActionRefused(_("Please choose a rating."), code="rating", status=400)
    comment = mask_personal_data(" ".join((comment or "").split())).text[:500]
    with transaction.atomic():
        locked = locked_thread(thread)
        answer = locked.accepted_post or (
            Post.objects.filter(thread=locked, is_official=True, state=State.PUBLISHED).order_by("id").first()
        )
        rated, _created = AnswerRating.objects.update_or_create(
            thread=locked, defaults={"user": user, "post": answer, "rating": rating, "comment": comment}
        )
        dissatisfied = rating == AnswerRating.Rating.DISSATISFIED
        if dissatisfied and locked.status == Thread.Status.ANSWERED and locked.reopened_at is None:
            now = timezone.now()
            locked.reopened_at = now
            locked.sla_due_at = now + timedelta(hours=first_response_hours(locked.board, locked.author))
            locked.status = natural_status(locked)
            locked.save(update_fields=["reopened_at", "sla_due_at", "status", "updated_at"])
            audit(None, Action.RATING_REOPEN, reason=comment, thread=locked, post=answer, target_user=user)
            if notify:
                notify_after_commit("notify_dissatisfied", locked.pk)
        elif not dissatisfied and locked.reopened_at is not None:
            locked.reopened_at = None
            locked.status = natural_status(locked)
            locked.save(update_fields=["reopened_at", "status", "updated_at"])
        announce(locked, "rate_answer")
    return rated


def create_kb_draft(moderator, thread):
    """Turn an answered thread into an unpublished KB article draft (question + accepted answer)."""
    from forum import kb_handoff
    from kb import actions as kb_actions

    if not ForumPolicy.can_hand_off_to_kb(moderator, thread):
        raise ActionRefused(_("Only answered threads can become a knowledge-base article."))
    if thread.kb_article_id:
        raise ActionRefused(_("This thread already has a draft article."), code="exists", status=409)
    with transaction.atomic():
        locked = locked_thread(thread)
        if locked.kb_article_id:
            raise ActionRefused(_("This thread already has a draft article."), code="exists", status=409)
        category = kb_handoff.category_for(locked.board)
        if category is None:
            raise ActionRefused(_("There is no knowledge-base category in this language yet."), status=409)
        answer = locked.accepted_post
        with override(locked.board.locale.language_code):
            source = _("From the community forum thread “%(title)s”.") % {"title": locked.title}
        article = kb_actions.create_draft_article(
            category=category,
            title=locked.title,
            answer_html=answer.body_html,
            short_answer=markdown.excerpt(answer.body_html, 480),
            user=moderator,
            slug=f"forum-thread-{locked.pk}",
            source_note=source,
        )
        locked.kb_article = article
        locked.save(update_fields=["kb_article", "updated_at"])
        audit(moderator, Action.KB_DRAFT, thread=locked, data={"article": article.pk})
    return article
