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
from django.test import override_settings
from django.utils import translation

from forum import actions
from forum.models import AnswerRating, AuditEntry, BoardPage, Flag, ForumIndexPage, Poll, PollVote, Post, Thread
from tests.demo import ensure_demo
from tests.factories import StaffFactory, UserFactory

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


def race(calls, racing):
    """Run each call on its own thread and connection, released together (PostgreSQL) or taking turns (SQLite).
    Returns what each returned or raised, in order."""
    barrier = threading.Barrier(len(calls))
    turn = threading.Lock()
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            if racing:
                outcomes[index] = call()
            else:
                with turn:
                    outcomes[index] = call()
        except Exception as exc:  # returned to the test, which checks every outcome
            outcomes[index] = exc
        finally:
            close_old_connections()
            connection.close()

    workers = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not any(worker.is_alive() for worker in workers)
    return outcomes


def _committed_fixture():
    ensure_demo()
    index = ForumIndexPage.objects.get(locale__language_code="zh-hans")
    board = BoardPage(title="并发测试二", slug="concurrency-test-2", polls_allowed=True)
    index.add_child(instance=board)
    users = [UserFactory(email=f"racer{number}@example.test") for number in range(WRITERS + 1)]
    moderators = [StaffFactory(role="Moderators", email=f"racing-mod{n}@example.test") for n in range(2)]
    return board, users, moderators


def _clean(board, users, moderators):
    Thread.objects.filter(board=board).delete()
    BoardPage.objects.get(pk=board.pk).delete()
    for user in [*users, *moderators]:
        user.delete()


def test_concurrent_votes_flags_ratings_and_moderators_keep_counts_exact(django_db_setup, django_db_blocker):
    racing = connection.vendor == "postgresql"
    with django_db_blocker.unblock():
        board, users, moderators = _committed_fixture()
        try:
            asker, voters = users[0], users[1:]
            poll_spec = {"question": "哪个好？", "options": ["甲", "乙"], "multiple": False, "closes_at": None}
            thread = actions.create_thread(
                asker, board, title="投票", body="请投票", poll=poll_spec, check_limits=False, notify=False
            ).thread
            poll = Poll.objects.select_related("thread__board").get(thread=thread)
            option = poll.options.order_by("position").first()

            outcomes = race([lambda user=user: actions.vote_poll(user, poll, [option.pk]) for user in voters], racing)

            assert [o for o in outcomes if isinstance(o, Exception)] == []
            option.refresh_from_db()
            poll.refresh_from_db()
            assert (option.vote_count, poll.voter_count, PollVote.objects.filter(poll=poll).count()) == (20, 20, 20)

            answer = actions.create_reply(moderators[0], thread, body="官方答复", check_limits=False, notify=False).post

            def flag(user):  # each reader's request loads the post itself
                return actions.flag_post(user, Post.objects.select_related("thread__board").get(pk=answer.pk), "spam")

            with override_settings(PORTAL_FORUM_AUTO_HIDE_FLAGS=WRITERS):  # the last report hides it
                outcomes = race([lambda user=user: flag(user) for user in voters], racing)
            post = Post.objects.get(pk=answer.pk)

            assert [o for o in outcomes if isinstance(o, Exception)] == []
            assert (post.flag_count, Flag.objects.filter(post=post).count()) == (20, 20)
            assert post.state == "hidden"
            assert AuditEntry.objects.filter(post=post, action="auto_hide").count() == 1

            actions.unhide_post(moderators[0], post)
            thread = Thread.objects.select_related("board").get(pk=thread.pk)
            ratings = ["dissatisfied", "neutral"] * (WRITERS // 2)
            outcomes = race([lambda r=r: actions.rate_answer(asker, thread, r) for r in ratings], racing)

            assert [o for o in outcomes if isinstance(o, Exception)] == []
            assert AnswerRating.objects.filter(thread=thread).count() == 1

            pending = actions.create_reply(users[1], thread, body="待审核", check_limits=False, notify=False).post
            Post.objects.filter(pk=pending.pk).update(state="pending")
            stale = Post.objects.select_related("thread__board").get(pk=pending.pk)
            outcomes = race([lambda m=m: actions.approve_post(m, stale) for m in moderators], racing)

            refused = [o for o in outcomes if isinstance(o, actions.ActionRefused)]
            assert len(refused) == 1
            with translation.override("zh-hans"):  # each worker thread speaks the site's default language
                stale_message = translation.gettext("This post is no longer waiting for approval.")
            assert (refused[0].status, refused[0].message) == (409, stale_message)
            assert AuditEntry.objects.filter(post=pending, action="approve").count() == 1
        finally:
            _clean(board, users, moderators)
