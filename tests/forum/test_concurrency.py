"""Twenty people reply to one thread at once: no post is lost and the counters (replies, last post) stay exact.

On PostgreSQL (CI's second run) the twenty replies really race: twenty threads, twenty connections, released
together by a barrier; create_reply serialises them with SELECT ... FOR UPDATE on the thread row. SQLite has
no row locks and its shared in-memory test database cannot take concurrent writers, so there the same
twenty writers, each on its own connection, take turns; the invariants checked are the same.

The test runs outside the per-test transaction (other connections must see committed rows) and removes
what it made afterwards, so the demo built once for the session stays intact for the tests after it.
"""

import threading

from django.db import close_old_connections, connection

from forum import actions
from forum.models import BoardPage, ForumIndexPage, Post, Thread
from tests.demo import ensure_demo
from tests.factories import UserFactory

WRITERS = 20


def test_twenty_concurrent_replies_lose_no_post_and_keep_counters_exact(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_demo()  # a test before this one may have committed and flushed
        index = ForumIndexPage.objects.get(locale__language_code="zh-hans")
        board = BoardPage(title="并发测试", slug="concurrency-test")
        index.add_child(instance=board)
        users = [UserFactory(email=f"race{number}@example.test") for number in range(WRITERS + 1)]
        thread = actions.create_thread(
            users[0], board, title="抢答", body="谁先回复？", check_limits=False, notify=False
        ).thread
        try:
            run_writers(thread, users[1:], racing=connection.vendor == "postgresql")

            thread.refresh_from_db()
            replies = list(Post.objects.filter(thread=thread, is_opening=False).order_by("id"))
            newest = replies[-1]
            assert len(replies) == WRITERS
            assert {post.author_id for post in replies} == {user.pk for user in users[1:]}
            assert thread.reply_count == WRITERS
            assert thread.last_post_id == newest.pk
            assert thread.last_post_at == max(post.created_at for post in replies) == newest.created_at
        finally:
            Thread.objects.filter(pk=thread.pk).delete()
            BoardPage.objects.get(pk=board.pk).delete()
            for user in users:
                user.delete()


def run_writers(thread, users, racing):
    barrier = threading.Barrier(len(users))
    turn = threading.Lock()
    errors = []

    def write(user):
        try:
            barrier.wait(timeout=30)
            if racing:
                actions.create_reply(user, thread, body=f"{user.email} 到！", check_limits=False, notify=False)
            else:
                with turn:
                    actions.create_reply(user, thread, body=f"{user.email} 到！", check_limits=False, notify=False)
        except Exception as exc:  # collected and reported by the main thread
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    workers = [threading.Thread(target=write, args=(user,)) for user in users]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert errors == []
    assert not any(worker.is_alive() for worker in workers)
