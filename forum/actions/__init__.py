"""Every change of state in the forum: one function each, atomic, audited when a moderator acts.

One module per concern (as Zulip keeps zerver/actions/ and Wagtail wagtail/actions/): posting,
post_moderation, thread_moderation, answers (accepted answers, ratings, the KB draft), polls,
subscriptions, sanctions and sla (escalation of overdue threads); what they share is in base. Callers
import this package: `from forum import actions; actions.lock_thread(...)`.

Views, the Wagtail admin, management commands, the demo and the tests all call these functions. Each one
checks ForumPolicy first and raises ActionRefused (with a translated message and an HTTP status) when the
user may not act. Denormalised counters are written under `select_for_update` of the row they count on
(F() for the hot paths, an exact recount otherwise), so concurrent writers lose nothing. Every action
announces what it changed with `forum.signals.thread_changed` inside its transaction; e-mails are queued
with `transaction.on_commit`.
"""

from forum.actions.answers import accept_answer, create_kb_draft, rate_answer, unaccept_answer
from forum.actions.base import ActionRefused, Written
from forum.actions.polls import vote_poll
from forum.actions.post_moderation import approve_post, flag_post, hide_post, reject_post, resolve_flags, unhide_post
from forum.actions.posting import create_reply, create_thread, delete_own_post, edit_post
from forum.actions.sanctions import ban_user, lift_sanctions, suspend_user, warn_user
from forum.actions.sla import escalate_overdue_threads, first_response_hours, prioritise_vip_threads
from forum.actions.subscriptions import follow_thread, mark_thread_read, unfollow_thread, unsubscribe
from forum.actions.thread_moderation import (
    claim_thread,
    close_as_duplicate,
    close_thread,
    lock_thread,
    merge_threads,
    move_thread,
    pin_thread,
    release_thread,
    reopen_thread,
    split_thread,
    unlock_thread,
    unpin_thread,
)

__all__ = [
    "ActionRefused",
    "Written",
    "accept_answer",
    "approve_post",
    "ban_user",
    "claim_thread",
    "close_as_duplicate",
    "close_thread",
    "create_kb_draft",
    "create_reply",
    "create_thread",
    "delete_own_post",
    "edit_post",
    "escalate_overdue_threads",
    "first_response_hours",
    "flag_post",
    "follow_thread",
    "hide_post",
    "lift_sanctions",
    "lock_thread",
    "mark_thread_read",
    "merge_threads",
    "move_thread",
    "pin_thread",
    "prioritise_vip_threads",
    "rate_answer",
    "reject_post",
    "release_thread",
    "reopen_thread",
    "resolve_flags",
    "split_thread",
    "suspend_user",
    "unaccept_answer",
    "unfollow_thread",
    "unhide_post",
    "unlock_thread",
    "unpin_thread",
    "unsubscribe",
    "vote_poll",
    "warn_user",
]
