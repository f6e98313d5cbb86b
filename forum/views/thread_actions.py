"""Actions on one thread: lock, pin, close, claim, follow, rate, move, merge, split, duplicate, KB draft."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum import actions, forms, queries
from forum.actions import ActionRefused
from forum.models import Thread
from forum.policies import ForumPolicy
from forum.views.base import (
    access_thread,
    parse_int,
    reason_of,
    run_action,
    simple_action,
)


def _do_rate(request, thread):
    form = forms.RatingForm(request.POST)
    if not form.is_valid():
        raise ActionRefused(_("Please choose a rating."), status=400)
    actions.rate_answer(request.user, thread, form.cleaned_data["rating"], form.cleaned_data["comment"])
    return _("Thank you for rating the answer."), None


def _do_move(request, thread):
    form = forms.MoveForm(request.POST, boards=queries.moveable_boards(request, request.user, thread))
    if not form.is_valid():
        raise ActionRefused(_("Choose a board to move the thread to."), status=400)
    target = queries.board_for_move(form.cleaned_data["board"])
    moved = actions.move_thread(request.user, thread, target, form.cleaned_data["reason"])
    return _("The thread was moved to %(board)s.") % {"board": target.title}, moved.get_absolute_url()


def _other_thread(request, number):
    other = queries.thread_for_view(number)
    if other is None or not ForumPolicy.can_view_thread(request.user, other):
        raise ActionRefused(_("There is no thread number %(number)s.") % {"number": number}, status=400)
    return other


def _do_merge(request, thread):
    form = forms.MergeForm(request.POST)
    if not form.is_valid():
        raise ActionRefused(_("Enter a thread number or a thread's address."), status=400)
    target = _other_thread(request, form.cleaned_data["target"])
    merged = actions.merge_threads(request.user, thread, target, form.cleaned_data["reason"])
    return _("The threads were merged."), merged.get_absolute_url()


def _do_split(request, thread):
    form = forms.SplitForm(request.POST)
    if not form.is_valid():
        raise ActionRefused(_("Please give the new thread a title."), status=400)
    ids = [parse_int(value) for value in request.POST.getlist("posts")]
    new = actions.split_thread(
        request.user, thread, [pk for pk in ids if pk], form.cleaned_data["title"], reason_of(request)
    )
    return _("The replies now form a new thread."), new.get_absolute_url()


def _do_duplicate(request, thread):
    form = forms.DuplicateForm(request.POST)
    if not form.is_valid():
        raise ActionRefused(_("Point to the thread or article this question duplicates."), status=400)
    value = form.cleaned_data["target"].strip()
    number = forms.thread_ref(value)
    is_thread_url = "/t/" in value or value.lstrip("#").isdigit()
    other = _other_thread(request, number) if number is not None and is_thread_url else None
    actions.close_as_duplicate(
        request.user, thread, duplicate_of=other, url="" if other else value, reason=form.cleaned_data["reason"]
    )
    return _("The thread is closed as a duplicate."), None


def _do_kb_draft(request, thread):
    article = actions.create_kb_draft(request.user, thread)
    return _("A draft knowledge-base article was created."), reverse("wagtailadmin_pages:edit", args=[article.pk])


THREAD_ACTIONS = {
    "lock": simple_action(actions.lock_thread, lambda: _("The thread is locked.")),
    "unlock": simple_action(actions.unlock_thread, lambda: _("The thread is unlocked.")),
    "pin": simple_action(actions.pin_thread, lambda: _("The thread is pinned.")),
    "unpin": simple_action(actions.unpin_thread, lambda: _("The thread is unpinned.")),
    "close": simple_action(actions.close_thread, lambda: _("The thread is closed.")),
    "reopen": simple_action(actions.reopen_thread, lambda: _("The thread is open again.")),
    "claim": simple_action(
        actions.claim_thread, lambda: _("You are answering this thread; other moderators can see that."), reason=False
    ),
    "release": simple_action(actions.release_thread, lambda: _("Claim released."), reason=False),
    "follow": simple_action(
        actions.follow_thread, lambda: _("You will get an e-mail when someone replies."), reason=False
    ),
    "unfollow": simple_action(actions.unfollow_thread, lambda: _("You no longer follow this thread."), reason=False),
    "unaccept": simple_action(actions.unaccept_answer, lambda: _("The accepted answer was withdrawn."), reason=False),
    "rate": _do_rate,
    "move": _do_move,
    "merge": _do_merge,
    "split": _do_split,
    "duplicate": _do_duplicate,
    "kb-draft": _do_kb_draft,
}


@require_POST
def thread_action(request, thread_id, name):
    return run_action(
        request, THREAD_ACTIONS.get(name), lambda: access_thread(request, thread_id), Thread.get_absolute_url
    )
