"""Sixty people write to one thread at the same moment through a real gunicorn: no 5xx, nothing lost, exact counters.

Twenty customers reply, twenty vote in the thread's poll and twenty report one reply, all released
together, against gunicorn with 2 workers and 10 threads each, the shared database cache (rate-limit counters
are writes too) and the task backend running after each commit. On SQLite the test database is copied into a
file first, so the server writes through the options every SQLite connection gets (WAL, IMMEDIATE transactions,
a busy timeout: portal/settings/base.py); on PostgreSQL (CI's second run) the server uses the test database.

The rows are committed (the server is another process): the test runs outside the per-test transaction and
the database is emptied afterwards (the next test gets the demo back from tests/demo.py).
"""

import threading
from contextlib import contextmanager
from urllib.parse import quote

import pytest
import requests
from django.db import connection
from django.test import Client

from forum import actions
from forum.models import AuditEntry, BoardPage, Flag, ForumIndexPage, Poll, PollBallot, PollVote, Post, Thread
from forum.models.threads import State
from tests import live
from tests.demo import ensure_demo
from tests.factories import UserFactory

WRITERS = 20
CSRF = "c" * 32  # a CSRF secret of the length Django accepts unmasked, sent as cookie and form field alike


@pytest.mark.django_db(transaction=True)
def test_sixty_concurrent_writers_on_one_thread_get_no_5xx_and_keep_counters_exact(tmp_path):
    ensure_demo()
    index = ForumIndexPage.objects.get(locale__language_code="zh-hans")
    board = BoardPage(title="并发写入", slug="concurrent-writers", polls_allowed=True)
    index.add_child(instance=board)
    author, *writers = [UserFactory(email=f"writer{number}@example.test") for number in range(WRITERS + 1)]
    thread = actions.create_thread(
        author,
        board,
        title="网银盾没反应怎么办",
        body="插上网银盾以后没有任何反应，大家遇到过吗？",
        poll={"question": "你用哪种网银盾？", "options": ["一代", "二代"], "multiple": False},
        check_limits=False,
        notify=False,
    ).thread
    poll = Poll.objects.get(thread=thread)
    options = list(poll.options.order_by("id").values_list("pk", flat=True))
    # Reported by everyone at once: a reply (three reports hide it; reports on the opening post would hide the
    # whole thread from the repliers and voters).
    reported = actions.create_reply(author, thread, body="我的是二代网银盾。", check_limits=False, notify=False).post
    sessions = {user.pk: _session(user) for user in writers}
    thread_url = quote(thread.get_absolute_url())
    with _served(tmp_path) as base:
        requests_made = []
        for number, user in enumerate(writers):
            cookies = {"sessionid": sessions[user.pk], "csrftoken": CSRF}
            requests_made += [
                ("reply", base + thread_url, {"body": f"我也遇到了（{number}号）"}, cookies),
                ("vote", f"{base}/forum/polls/{poll.pk}/vote/", {"options": options[number % 2]}, cookies),
                ("flag", f"{base}/forum/posts/{reported.pk}/flag/", {"reason": "spam"}, cookies),
            ]
        statuses = _all_at_once(requests_made)
        _take_back_server_database(tmp_path)

    # Once three reports hid the reply, later reporters no longer see it (404): never a 5xx.
    flags = [(kind, status) for kind, status in statuses if kind == "flag" and status in {302, 404}]
    server_errors = [(kind, status) for kind, status in statuses if status >= 500]
    assert server_errors == []
    assert sorted(statuses) == sorted([(kind, 302) for kind, status in statuses if kind != "flag"] + flags)

    thread = Thread.objects.get(pk=thread.pk)
    replies = list(Post.objects.filter(thread=thread, is_opening=False).exclude(pk=reported.pk).order_by("id"))
    assert len(replies) == WRITERS
    assert {post.author_id for post in replies} == {user.pk for user in writers}
    assert thread.reply_count == WRITERS  # the hidden reply no longer counts
    assert thread.last_post_id == replies[-1].pk

    poll.refresh_from_db()
    assert poll.voter_count == WRITERS == PollBallot.objects.filter(poll=poll).count()
    counted = {option.pk: option.vote_count for option in poll.options.all()}
    assert counted == {options[0]: WRITERS // 2, options[1]: WRITERS // 2}
    assert PollVote.objects.filter(option__poll=poll).count() == WRITERS

    reported.refresh_from_db()
    assert reported.flag_count == Flag.objects.filter(post=reported).count() >= 3
    assert reported.state == State.HIDDEN
    assert AuditEntry.objects.filter(post=reported, action=AuditEntry.Action.AUTO_HIDE).count() == 1


def _session(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@contextmanager
def _served(tmp_path):
    """gunicorn with 2 workers on this test's database (SQLite: copied into a file); yields its base URL."""
    if connection.vendor == "sqlite":
        live.copy_to_file(tmp_path / "portal.sqlite3")
    env = live.environment(live.database_url(tmp_path / "portal.sqlite3"))
    live.manage(env, "createcachetable")
    with live.gunicorn(env, tmp_path / "gunicorn.log") as base:
        yield base
    assert "database is locked" not in (tmp_path / "gunicorn.log").read_text()


def _all_at_once(requests_made):
    barrier = threading.Barrier(len(requests_made))
    statuses = []
    failures = []

    def send(kind, url, data, cookies):
        barrier.wait(timeout=30)
        try:
            response = requests.post(
                url,
                data={**data, "csrfmiddlewaretoken": CSRF},
                cookies=cookies,
                headers={"Referer": url},
                allow_redirects=False,
                timeout=120,
            )
        except requests.RequestException as exc:  # no answer at all: reported as such below
            failures.append((kind, repr(exc)))
        else:
            statuses.append((kind, response.status_code))

    workers = [threading.Thread(target=send, args=made) for made in requests_made]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=180)
    assert failures == []
    assert len(statuses) == len(requests_made)
    return statuses


def _take_back_server_database(tmp_path):
    """On SQLite the server wrote to the file: read it back into the test database to check the rows."""
    if connection.vendor == "sqlite":
        live.read_back(tmp_path / "portal.sqlite3")
