"""Forum pages in the anonymous page cache (portal.core.pagecache): the tags they depend on and when they go stale.

Board pages, the forum index and the feeds show every board's threads and counts, so they depend on
BOARDS; a thread page depends only on its own thread, so a reply elsewhere leaves it cached. Every action
announces its change with `thread_changed` (forum.signals), lock, pin, rating and poll vote included, and
it is followed here. Tags are bumped now and after commit.
"""

from portal.core import pagecache

BOARDS = "forum"


def thread_tag(thread_id):
    return f"forum:thread:{thread_id}"


def changed(thread_id):
    pagecache.bump_on_commit(BOARDS, thread_tag(thread_id))


def on_thread_changed(sender, thread, action, **kwargs):
    changed(thread.pk)


def connect():
    from forum.signals import thread_changed

    thread_changed.connect(on_thread_changed, dispatch_uid="forum-pagecache")
