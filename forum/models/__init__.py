"""Forum models: boards are Wagtail pages; threads, posts, polls, flags and the audit log are plain Django models.

User content is not a Wagtail page: it has no revisions workflow of its own, it is written by customers
through forum/actions.py, and its visibility is decided by forum/policies.py.
"""

from forum.models.moderation import AuditEntry, Flag, Sanction
from forum.models.pages import BoardPage, ForumIndexPage
from forum.models.polls import Poll, PollBallot, PollOption, PollVote
from forum.models.threads import (
    AnswerRating,
    Attachment,
    EmailOptOut,
    Post,
    PostRevision,
    Subscription,
    Thread,
    ThreadRead,
)

__all__ = [
    "AnswerRating",
    "Attachment",
    "AuditEntry",
    "BoardPage",
    "EmailOptOut",
    "Flag",
    "ForumIndexPage",
    "Poll",
    "PollBallot",
    "PollOption",
    "PollVote",
    "Post",
    "PostRevision",
    "Sanction",
    "Subscription",
    "Thread",
    "ThreadRead",
]
