"""Message desk at 100,000 messages on PostgreSQL: p50/p95 of the staff queue's first page (default and with
filters) beside the forum SLA queue in the same run, and the cost of submitting a message beside a forum reply.

Uses its own database (portal_bench_intake on the local PostgreSQL from scripts/postgres.sh), filled once with
the forum bench's own generator (1,000,000 posts, so the SLA queue is the one bench_forum measures) and
100,000 messages in bulk inserts; later runs reuse both. Pages are served by gunicorn (2 sync workers, DEBUG
off, bench/settings_pg.py) and timed one request at a time. Submit cost: SQL statements and wall time per call
of `portal.intake.actions.submit_message` and `forum.actions.create_reply`, in one process, on the same
database. Run: `.venv/bin/python -m bench.bench_intake`.
"""

import os
import random
import secrets
import sys
import time
from pathlib import Path

from bench.bench_forum import SETTINGS, generate, latencies, manage, setup_django
from bench.harness import ROOT, percentile, serve

MESSAGES = 100_000
SUBMITS = 200


def database_url():
    import subprocess

    import psycopg

    out = subprocess.run(["bash", "scripts/postgres.sh"], cwd=ROOT, capture_output=True, text=True, check=True)
    base, _sep, _name = out.stdout.strip().splitlines()[-1].rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = 'portal_bench_intake'").fetchone():
            admin.execute("CREATE DATABASE portal_bench_intake")
    return f"{base}/portal_bench_intake"


def generate_messages():
    from django.utils import timezone

    from portal.intake.models import Entry, Message

    have = Message.objects.filter(reference__startswith="LY-BENCH-").count()
    if have >= MESSAGES:
        print(f"reusing {have:,} bench messages")
        return
    started = time.monotonic()
    rng = random.Random(11)  # noqa: S311 - reproducible data, not security
    now = timezone.now()
    kinds = ["inquiry", "inquiry", "complaint", "suggestion", "praise"]
    categories = ["personal_finance", "credit", "bank_cards", "ebanking", "other"]
    channels = ["web", "web", "web", "sms", "phone"]
    statuses = ["new", "assigned", "answered", "closed", "closed", "closed"]
    batch = []
    for number in range(have, MESSAGES):
        created = now - timezone.timedelta(minutes=5 * (MESSAGES - number))
        status = rng.choice(statuses)
        batch.append(
            Message(
                reference=f"LY-BENCH-{number:07d}",
                tracking_token=secrets.token_urlsafe(24),
                kind=rng.choice(kinds),
                category=rng.choice(categories),
                channel=rng.choice(channels),
                subject=f"压测留言 {number}：网银登录提示证书过期 6222021234567890128",
                name=f"客户{number}",
                email=f"bench-msg-{number}@example.test",
                status=status,
                priority="vip" if rng.random() < 0.02 else "normal",
                sla_due_at=created + timezone.timedelta(hours=rng.choice([4, 24, 48, 72])),
                first_response_at=None if status in ("new", "assigned") else created + timezone.timedelta(hours=2),
                created_at=created,
                updated_at=created,
            )
        )
        if len(batch) == 5000:
            _flush(batch, Message, Entry)
            batch = []
    if batch:
        _flush(batch, Message, Entry)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE intake_message; ANALYZE intake_entry;")
    print(f"generated {MESSAGES - have:,} messages in {time.monotonic() - started:.0f} s")


def _flush(batch, Message, Entry):
    created = Message.objects.bulk_create(batch)
    Entry.objects.bulk_create(
        [Entry(message=m, kind="customer", body="今天登录网银时提示证书已过期，请问怎么办？") for m in created]
    )


def staff_cookie(email):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from portal.accounts.middleware import SESSION_FLAG

    user = get_user_model().objects.get(email=email)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SESSION_FLAG] = user.pk
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def submit_cost(board):
    """(queries per call, p50 ms, p95 ms) of submitting a message and of a forum reply, same process."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from forum import actions as forum_actions
    from forum.models import Thread
    from portal.intake import actions

    customer = get_user_model().objects.get(email="customer@example.test")
    thread = Thread.objects.filter(board=board).order_by("-id").first()
    results = {}

    def message():
        actions.submit_message(
            kind="inquiry",
            category="ebanking",
            subject="压测提交：网银证书过期",
            body="今天登录网银时提示证书已过期。",
            name="压测",
            email="bench-submit@example.test",
            submit_key=secrets.token_urlsafe(16),
            check_limits=True,
            ip="127.0.0.9",
        )

    def reply():
        forum_actions.create_reply(customer, thread, body="压测回复：请问证书过期怎么更新？", check_limits=False)

    from django.conf import settings

    settings.PORTAL_INTAKE_RATE_LIMITS = [("ip", 10**9, 600), ("contact", 10**9, 600)]
    for label, call in (("submit a message", message), ("forum reply", reply)):
        times, queries = [], []
        for _n in range(SUBMITS):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                call()
                times.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured))
        results[label] = (sorted(queries)[len(queries) // 2], percentile(times, 0.5), percentile(times, 0.95))
    return results


def main():
    url = database_url()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": url}
    manage(env, "migrate", "--noinput", "-v0")
    setup_django(url)
    from forum.models import ForumIndexPage

    if not ForumIndexPage.objects.exists():
        manage(env, "demo_content")
    from django.contrib.auth import get_user_model

    if not get_user_model().objects.filter(email="desk@example.test").exists():
        manage(env, "demo_content")  # the message desk's demo staff came with this branch
    board = generate()
    generate_messages()
    from portal.intake.models import Message

    moderator = staff_cookie("moderator@example.test")
    desk = staff_cookie("desk@example.test")
    pages = [
        ("trivial view (/ping)", "/ping", None),
        ("forum SLA queue (moderator)", "/forum/moderation/sla/", moderator),
        ("message desk queue, first page (open)", "/admin/messages/", desk),
        ("  filtered: complaints past due", "/admin/messages/?status=open&kind=complaint&sla=breached", desk),
        ("  filtered: VIP, web, e-banking", "/admin/messages/?priority=vip&channel=web&category=ebanking", desk),
        ("  every status, unassigned", "/admin/messages/?assignee=none", desk),
    ]
    with serve(settings_module=SETTINGS, env={"DATABASE_URL": url}) as base:
        print(f"message desk bench on PostgreSQL: {Message.objects.count():,} messages")
        print(f"{'page':<48} {'p50':>9} {'p95':>9} {'CPU/req':>9}")
        for label, path, session in pages:
            times, cpu = latencies(base, path, session)
            print(f"{label:<48} {percentile(times, 0.5):7.1f}ms {percentile(times, 0.95):7.1f}ms {cpu:7.1f}ms")
    print(f"submit cost ({SUBMITS} calls each, one process, PostgreSQL):")
    for label, (queries, p50, p95) in submit_cost(board).items():
        print(f"  {label:<24} {queries:>3} SQL statements   p50 {p50:>7.1f} ms   p95 {p95:>7.1f} ms")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
