"""Views of the forum: parse the request, fetch through an access helper, call one action, render or redirect.

One module per concern: boards, threads (the thread page and replies), posts and thread_actions (the
one-click actions and editing), polls, subscriptions (unsubscribe) and moderation (queues, audit log,
member page); base holds the access helpers and the action runner. Board and thread pages are served
through BoardPage's routes (forum/models/pages.py); the rest is mounted by forum/urls.py. Anonymous
readers get pages without a session write or a CSRF cookie (no form is shown to them).
"""

from forum.views.boards import board, new_thread
from forum.views.moderation import (
    audit_log,
    flagged_queue,
    moderation_home,
    pending_queue,
    sla_queue,
    user_moderation,
)
from forum.views.polls import vote
from forum.views.posts import edit_post, post_action, post_history
from forum.views.subscriptions import unsubscribe
from forum.views.thread_actions import thread_action
from forum.views.threads import permalink, thread

__all__ = [
    "audit_log",
    "board",
    "edit_post",
    "flagged_queue",
    "moderation_home",
    "new_thread",
    "pending_queue",
    "permalink",
    "post_action",
    "post_history",
    "sla_queue",
    "thread",
    "thread_action",
    "unsubscribe",
    "user_moderation",
    "vote",
]
