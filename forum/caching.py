"""Forum pages in the anonymous page cache (portal.core.pagecache): the tags they depend on and when they go stale.

Board pages, the forum index and the feeds show every board's threads and counts, so they depend on
BOARDS; a thread page depends only on its own thread, so a reply elsewhere leaves it cached. Every action
announces its change with `thread_changed` (forum.signals), lock, pin, rating and poll vote included, and
it is followed here. Tags are bumped now and after commit.

MODERATORS covers no page but who moderates each board (the badge on their posts, kept per process by
forum.queries.moderator_author_ids): it is bumped when an account's roles, groups or permissions change, a
group's permissions or name, or a board's moderators.
"""

import hashlib

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db.models import prefetch_related_objects
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

from portal.core import pagecache

BOARDS = "forum"
POST_FRAGMENTS = "forum_posts"  # the cache (settings.CACHES) of each post's part every reader sees alike
MODERATORS = "forum:moderators"
# The fields of an account that moderators_of reads; a login saves only last_login and bumps nothing.
_MODERATOR_FIELDS = {"is_active", "is_staff", "is_superuser"}


def thread_tag(thread_id):
    return f"forum:thread:{thread_id}"


def changed(thread_id):
    pagecache.bump_on_commit(BOARDS, thread_tag(thread_id))


def on_thread_changed(sender, thread, action, **kwargs):
    changed(thread.pk)


def moderators_changed(sender, raw=False, update_fields=None, action=None, **kwargs):
    if raw or (action is not None and not action.startswith("post_")):
        return
    if sender is get_user_model() and update_fields is not None and not _MODERATOR_FIELDS & set(update_fields):
        return
    pagecache.bump_on_commit(MODERATORS)


def read_post_fragments(slots, *, moderator, thread_url):
    """Each rendered post's key in the forum_posts cache (`post.fragment_key`) and its HTML when kept there
    (`post.fragment`, else None: forum_tags.post_fragment renders it and calls keep_post_fragment), all read
    with one get_many.

    `slots` are (post, is_question, in_accepted_box) as thread.html includes them. The key holds everything the
    fragment shows that can change (edit, state, badges) and who it is shown to (moderators see more); the
    reader's "new" mark is not in it (forum_tags.post_fragment adds it). Only the posts missing from the cache
    have their pictures read, in one query."""
    language = get_language()
    keys = {}
    for post, is_question, in_box in slots:
        parts = (
            post.pk,
            post.edited_at.timestamp() if post.edited_at else "",
            post.state,
            post.hidden_reason,
            post.can_history,
            post.is_official,
            post.by_moderator,
            post.by_asker,
            post.is_accepted,
            is_question,
            in_box,
            moderator,
            thread_url,
            language,
        )
        digest = hashlib.md5(repr(parts).encode(), usedforsecurity=False).hexdigest()
        post.fragment_key = f"forum-post:{post.pk}:{digest}"
        keys[post.fragment_key] = post
    found = caches[POST_FRAGMENTS].get_many(keys) if keys else {}
    missing = []
    for key, post in keys.items():
        post.fragment = found.get(key)
        if post.fragment is None:
            missing.append(post)
    if missing:
        prefetch_related_objects(missing, "attachments")


def keep_post_fragment(key, html):
    caches[POST_FRAGMENTS].set(key, html)


def connect():
    from forum.models import BoardPage
    from forum.signals import thread_changed

    thread_changed.connect(on_thread_changed, dispatch_uid="forum-pagecache")
    User = get_user_model()
    for sender in (User, Group, BoardPage, BoardPage.moderators.through):
        post_save.connect(moderators_changed, sender=sender, dispatch_uid=f"forum-moderators-save-{sender.__name__}")
        post_delete.connect(moderators_changed, sender=sender, dispatch_uid=f"forum-moderators-del-{sender.__name__}")
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(moderators_changed, sender=through, dispatch_uid=f"forum-moderators-{through.__name__}")
