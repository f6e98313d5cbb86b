"""The operations dashboard over a year of generated data on PostgreSQL: render time and query count per period.

Data (its own database, portal_bench_ops or OPS_BENCH_DATABASE, on the local PostgreSQL of scripts/postgres.sh;
generated once, reused after): the forum bench's posts (bench_forum.generate, OPS_BENCH_POSTS posts, default
200,000 ≈ 4,000 threads) with the threads spread over the last 365 days, a rating on 40 % of them and a reopen on
5 %, and OPS_BENCH_SEARCHES search-log rows (default 200,000) and OPS_BENCH_MESSAGES message-board, SMS and phone
messages (default 20,000; 90 % answered 10 minutes to 60 hours later by the desk's reply, 40 % of those rated, 5 %
reopened; 5 % VIP) over the same year. The full issue scale is
OPS_BENCH_POSTS=1000000 OPS_BENCH_SEARCHES=1000000 OPS_BENCH_MESSAGES=100000 (10 minutes to generate on a loaded
2-core machine).
The week and month views read the daily search summary (operations.SearchDay): its one-off backfill and the
nightly job are timed first, then the dashboard is rendered in process through Django's test client (DEBUG
off, the Operations demo user signed in with MFA done), so the query count is exact; the trivial view is
printed beside it as the yardstick.
Run: `.venv/bin/python -m bench.bench_operations`.
"""

import os
import random
import statistics
import subprocess
import sys
import time

from bench import bench_forum
from bench.harness import ROOT

POSTS = int(os.environ.get("OPS_BENCH_POSTS", "200000"))
SEARCHES = int(os.environ.get("OPS_BENCH_SEARCHES", "200000"))
MESSAGES = int(os.environ.get("OPS_BENCH_MESSAGES", "20000"))
DATABASE = os.environ.get("OPS_BENCH_DATABASE", "portal_bench_ops")  # a private copy on a shared server
SAMPLES = 5


def database_url():
    url = bench_forum.database_url()
    base, _sep, _name = url.rpartition("/")
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            admin.execute(f"CREATE DATABASE {DATABASE}")
    return f"{base}/{DATABASE}"


def _has_demo(url):
    import psycopg

    with psycopg.connect(url) as conn:
        table = conn.execute("SELECT to_regclass('accounts_user')").fetchone()[0]
        return bool(table) and bool(
            conn.execute("SELECT 1 FROM accounts_user WHERE email = 'operations@example.test'").fetchone()
        )


def prepare(url):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": bench_forum.SETTINGS}
    # The demo is built once: its media lived in the first run's temporary folder, so building it again over
    # the same database would look for caption files that are gone.
    steps = [("migrate", "--noinput", "-v0"), ("createcachetable",)]
    if not _has_demo(url):
        steps.append(("demo_content", "--quiet-users"))
    for args in steps:
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    bench_forum.setup_django(url)


def generate():
    from django.db import connection

    from forum.models import AuditEntry, Thread
    from search.models import SearchQuery

    bench_forum.TOTAL_POSTS = POSTS
    board = bench_forum.generate()
    threads = Thread.objects.filter(board=board)
    if not AuditEntry.objects.filter(thread__board=board, action="reopen").exists():
        started = time.monotonic()
        with connection.cursor() as cursor:
            # A year of history: each thread at a random moment, answered 10 minutes to 40 hours later.
            cursor.execute(
                """
                UPDATE forum_thread SET created_at = now() - random() * interval '365 days' WHERE board_id = %s;
                UPDATE forum_thread SET sla_due_at = created_at + interval '24 hours',
                    first_response_at = CASE WHEN first_response_at IS NULL THEN NULL
                        ELSE created_at + interval '10 minutes' + random() * interval '40 hours' END
                WHERE board_id = %s;
                UPDATE forum_thread SET first_response_at = NULL, status = 'open'
                WHERE board_id = %s AND created_at > now() - interval '2 days' AND random() < 0.3;
                INSERT INTO forum_answerrating (thread_id, user_id, rating, comment, created_at, updated_at)
                SELECT id, author_id, CASE WHEN random() < 0.8 THEN 'satisfied' ELSE 'dissatisfied' END, '',
                       first_response_at, first_response_at
                FROM forum_thread WHERE board_id = %s AND first_response_at IS NOT NULL AND random() < 0.4
                ON CONFLICT DO NOTHING;
                INSERT INTO forum_auditentry (action, reason, target_repr, thread_id, data, created_at)
                SELECT 'reopen', '', title, id, '{}', first_response_at + interval '1 day'
                FROM forum_thread WHERE board_id = %s AND first_response_at IS NOT NULL AND random() < 0.05;
                """,
                [board.pk] * 5,
            )
        print(f"spread {threads.count():,} threads over a year in {time.monotonic() - started:.0f} s")
    have = SearchQuery.objects.count()
    if have < SEARCHES:
        started = time.monotonic()
        rng = random.Random(7)  # noqa: S311 - reproducible data, not security
        words = ["网银登录", "信用卡还款", "转账限额", "U盾", "挂失", "外汇", "理财", "手机银行", "年费", "积分"]
        columns = "created_at, query, normalised, locale, kind, source, role, backend, result_count, took_ms, clicked"
        from django.utils import timezone

        now = timezone.now()
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {SearchQuery._meta.db_table} ({columns}) FROM STDIN") as copy,
        ):  # noqa: S608
            for _row in range(SEARCHES - have):
                text = rng.choice(words) + (rng.choice(words) if rng.random() < 0.3 else "")
                results = 0 if rng.random() < 0.08 else rng.randint(1, 40)
                copy.write_row(
                    (
                        now - timezone.timedelta(seconds=rng.randint(0, 365 * 86400)),
                        text,
                        text,
                        "zh-hans",
                        "",
                        "page",
                        "anonymous",
                        "elasticsearch",
                        results,
                        3.0,
                        results > 0 and rng.random() < 0.45,
                    )
                )
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {SearchQuery._meta.db_table}; ANALYZE forum_thread; ANALYZE forum_auditentry;")
        print(f"generated {SEARCHES - have:,} search-log rows in {time.monotonic() - started:.0f} s")
    generate_messages()
    from forum.models import Post
    from portal.intake.models import Message

    print(
        f"data: {Post.objects.count():,} posts, {Thread.objects.count():,} threads, "
        f"{SearchQuery.objects.count():,} searches, {Message.objects.count():,} messages"
    )


def generate_messages():
    """A year of messages in one INSERT ... SELECT (references B<n>, so a re-run only tops up)."""
    from django.db import connection

    from portal.intake.models import Message

    have = Message.objects.filter(reference__startswith="B").count()
    if have >= MESSAGES:
        generate_replies()
        return
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Message._meta.db_table} (reference, tracking_token, kind, category, channel, subject, name,
                email, phone, language, status, priority, sla_due_at, first_response_at, answered_at, closed_at,
                needs_supervisor, forum_consent, resolved_on_call, created_at, updated_at)
            SELECT 'B' || g, md5('bench-' || g), (ARRAY['inquiry', 'inquiry', 'complaint', 'suggestion'])[1 + g %% 4],
                (ARRAY['personal_finance', 'credit', 'bank_cards', 'ebanking', 'other'])[1 + g %% 5],
                (ARRAY['web', 'web', 'web', 'sms', 'phone'])[1 + g %% 5], '网银登录提示证书过期', '', '', '',
                'zh-hans', CASE WHEN answered IS NULL THEN 'new' ELSE 'closed' END,
                CASE WHEN g %% 20 = 0 THEN 'vip' ELSE 'normal' END, created + interval '48 hours', answered,
                answered, answered, false, false, false, created, created
            FROM (
                SELECT g, created, CASE WHEN random() < 0.9 AND created < now() - interval '3 days'
                    THEN created + interval '10 minutes' + random() * interval '60 hours' END AS answered
                FROM (SELECT g, now() - random() * interval '365 days' AS created
                      FROM generate_series(%s, %s) AS g) AS spread
            ) AS rows
            """,  # noqa: S608 - the table name is the model's own
            [have + 1, MESSAGES],
        )
        cursor.execute(f"ANALYZE {Message._meta.db_table}")
    print(f"generated {MESSAGES - have:,} messages in {time.monotonic() - started:.0f} s")
    generate_replies()


def generate_replies():
    """The desk's first reply on every answered bench message, a rating on 40 % of them (one in five
    dissatisfied) and a reopen on 5 %: the rows the channel's first-responder, rating and reopen subqueries
    read (once; a database filled before they were generated gets them on the next run)."""
    from django.db import connection

    from portal.intake.models import AuditEntry, Entry, Message, Rating

    bench = Message.objects.filter(reference__startswith="B")
    if Entry.objects.filter(message__in=bench, kind=Entry.Kind.REPLY).exists():
        return
    started = time.monotonic()
    from django.contrib.auth import get_user_model

    desk = get_user_model().objects.get(email="desk@example.test").pk
    message, entry = Message._meta.db_table, Entry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {entry} (message_id, kind, author_id, body, created_at)
            SELECT id, 'reply', %s, '请更新证书后再试。', first_response_at FROM {message}
            WHERE reference LIKE 'B%%' AND first_response_at IS NOT NULL;
            INSERT INTO {Rating._meta.db_table} (reply_id, message_id, score, comment, created_at)
            SELECT e.id, e.message_id,
                (ARRAY['very_satisfied', 'satisfied', 'satisfied', 'neutral', 'dissatisfied'])[1 + e.id %% 5], '',
                e.created_at + interval '1 hour'
            FROM {entry} e JOIN {message} m ON m.id = e.message_id
            WHERE m.reference LIKE 'B%%' AND e.kind = 'reply' AND random() < 0.4;
            INSERT INTO {AuditEntry._meta.db_table} (actor_id, action, message_id, target_repr, data, created_at)
            SELECT %s, 'reopen', id, reference, '{{}}', first_response_at + interval '1 day' FROM {message}
            WHERE reference LIKE 'B%%' AND first_response_at IS NOT NULL AND random() < 0.05;
            ANALYZE {entry}; ANALYZE {Rating._meta.db_table}; ANALYZE {AuditEntry._meta.db_table};
            """,  # noqa: S608 - the table names are the models' own
            [desk, desk],
        )
    print(f"generated message replies, ratings and reopens in {time.monotonic() - started:.0f} s")


def operations_client():
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client

    from portal.accounts.middleware import SESSION_FLAG

    user = get_user_model().objects.get(email="operations@example.test")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SESSION_FLAG] = user.pk
    session.save()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


def measure(client, url, params=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, count = [], 0
    for sample in range(SAMPLES + 1):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params or {})
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        if sample:  # the first one warms the process
            times.append(elapsed)
            count = len(queries)
            slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
    return statistics.median(times), max(times), count, slowest


def summarise():
    """The daily search summary the week and month views read: the one-off backfill and the nightly job, timed."""
    from datetime import timedelta

    from portal.operations import actions, periods
    from portal.operations.models import SearchDay

    SearchDay.objects.all().delete()
    today = periods.local_today()
    started = time.perf_counter()
    days = actions.backfill_search_days(today - timedelta(days=800), today)
    backfill = time.perf_counter() - started
    started = time.perf_counter()
    actions.summarise_yesterday()
    nightly = (time.perf_counter() - started) * 1000
    print(f"{'daily search summary: backfill':<44} {days} days in {backfill:.1f} s (once, on the first view)")
    print(f"{'daily search summary: nightly job':<44} {nightly:.1f} ms (yesterday and the day before)")
    from portal.operations import metrics

    for kind in ("week", "month"):
        period = periods.Period.containing(kind, today)
        length = 2 * periods.TREND_LENGTH[kind]
        raw = statistics.median(_timed(metrics.search_trend_live, period, length) for _n in range(3))
        summed = statistics.median(_timed(metrics.search_trend, period, length) for _n in range(3))
        print(
            f"{'search trend, ' + kind + ', ' + str(length) + ' buckets':<44} raw log {raw:>8.1f} ms   "
            f"daily summary {summed:>6.1f} ms"
        )


def _timed(function, *args):
    started = time.perf_counter()
    function(*args)
    return (time.perf_counter() - started) * 1000


def main():
    prepare(database_url())
    generate()
    summarise()
    client = operations_client()
    ping_ms, _m, ping_queries, _s = measure(client, "/ping")
    print(f"{'trivial view /ping':<44} median {ping_ms:>8.1f} ms   {ping_queries:>3} queries")
    for kind in ("day", "week", "month"):
        median, worst, count, slowest = measure(client, "/admin/operations/", {"period": kind})
        print(f"{'dashboard, ' + kind:<44} median {median:>8.1f} ms   max {worst:>8.1f} ms   {count:>3} queries")
        for query in slowest:
            print(f"    {float(query['time']) * 1000:>7.1f} ms  {query['sql'][:110]}")
    median, worst, count, _s = measure(client, "/admin/operations/now.json")
    print(f"{'live panel now.json':<44} median {median:>8.1f} ms   max {worst:>8.1f} ms   {count:>3} queries")
    # The same pages with the forum as the only channel: what the dashboard read before the intake channels.
    from portal.operations import sources

    everything = dict(sources._registry)
    sources._registry.clear()
    sources._registry["forum"] = everything["forum"]
    for kind in ("day", "week", "month"):
        median, worst, count, _s = measure(client, "/admin/operations/", {"period": kind})
        label = f"dashboard, {kind}, forum channel only"
        print(f"{label:<44} median {median:>8.1f} ms   max {worst:>8.1f} ms   {count:>3} queries")
    sources._registry.update(everything)


if __name__ == "__main__":
    main()
