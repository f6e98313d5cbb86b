"""@mentions: which members the names written in a post refer to (a post's links and its notifications)."""

from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.db.models import Q

from forum.models import Post


def resolve_mentions(names, thread=None):
    """{lower-cased name: user} for names that belong to exactly one active user (thread participants win ties)."""
    if not names:
        return {}
    User = get_user_model()
    query = reduce(or_, (Q(display_name__iexact=name) for name in names))
    candidates = {}
    for user in User.objects.filter(query, is_active=True).only("id", "display_name", "email", "preferred_language"):
        candidates.setdefault(user.display_name.lower(), []).append(user)
    participants = set()
    if thread is not None and thread.pk and any(len(users) > 1 for users in candidates.values()):
        participants = set(Post.objects.filter(thread=thread).values_list("author_id", flat=True))
    resolved = {}
    for name, users in candidates.items():
        if len(users) == 1:
            resolved[name] = users[0]
        else:
            inside = [user for user in users if user.pk in participants]
            if len(inside) == 1:
                resolved[name] = inside[0]
    return resolved
