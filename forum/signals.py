"""Signals the forum sends so that other apps (search, operations) can follow it without the forum knowing them.

`thread_changed(sender=Thread, thread=<Thread>, action=<str>)` is sent by every action in forum/actions/ that
changes what a thread shows or who may see it: a new thread or reply, an edit, approval, hiding, moving,
merging, an accepted answer, and also a lock, a pin, a rating, a poll vote or an SLA escalation (it is the
forum's one way of announcing a change: the page cache listens too). `action` names what happened (the
action function's name, e.g. "create_reply", "hide_post"). Read `thread.search_audience()`, `thread.search_text()`,
`thread.accepted_answer_text()`, `thread.board` and `thread.language_code` to index it; a thread whose
audience is "staff" (pending, hidden, rejected, deleted or merged) must leave the public index.

When: the signal is sent INSIDE the action's transaction, after its rows are written, so a receiver can
write an outbox row atomically with the change (if the action rolls back, so does the outbox row).
Receivers must therefore be cheap and must not talk to the network themselves: defer that with
`transaction.on_commit`. A thread merged into another is sent once with action "merge" (its audience is
then "staff"), and the target thread is sent too.
"""

from django.dispatch import Signal

thread_changed = Signal()  # sender=Thread, thread=Thread instance, action=str
