"""`make loadtest`: a realistic mix against gunicorn (2 sync workers) on PostgreSQL + Elasticsearch, on loopback.

Anonymous readers (home, KB articles, board, threads, search, suggestions), signed-in customers (reading,
searching, replying), and agents (the console and the search API), driven by locust (bench/locustfile.py),
bounded in time (LOADTEST_SECONDS, default 20) and in requests (LOADTEST_MAX_REQUESTS, default 20,000).
Prints req/s, p50/p95/p99 and errors per endpoint, and exits non-zero on any error: 0 errors is the bar.

The database is portal_loadtest on the local PostgreSQL (scripts/postgres.sh), built from the demo once and
reused; the search indices live under the prefix "loadtest" on ELASTICSEARCH_URL (default a node on :9200)
and are rebuilt every run. Tasks run after each commit in the web process (the immediate backend), so a reply
is indexed and its mail sent inside the request: a harsher load than production's task worker.
"""

import csv
import json
import os
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from bench.harness import ROOT, serve

SETTINGS = "bench.settings_loadtest"
CUSTOMERS = 40


def database_url():
    url = (
        subprocess.run(["bash", "scripts/postgres.sh"], cwd=ROOT, capture_output=True, text=True, check=True)
        .stdout.strip()
        .splitlines()[-1]
    )
    base, _sep, _name = url.rpartition("/")
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = 'portal_loadtest'").fetchone():
            admin.execute("CREATE DATABASE portal_loadtest")
    return f"{base}/portal_loadtest"


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def session_for(user, mfa=False):
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from portal.accounts.middleware import SESSION_FLAG

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if mfa:
        session[SESSION_FLAG] = user.pk
    session.save()
    return session.session_key


def plan():
    """URLs and signed-in sessions for the locustfile."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from forum.models import BoardPage, Thread
    from forum.models.threads import State
    from kb.models import ArticlePage

    User = get_user_model()
    board = BoardPage.objects.live().filter(locale__language_code="zh-hans").order_by("path").first()
    customers = []
    for number in range(CUSTOMERS):
        user, created = User.objects.get_or_create(
            email=f"loadtest{number}@example.test", defaults={"display_name": f"压测客户{number}"}
        )
        if created:
            user.date_joined = timezone.now() - timedelta(days=400)  # past the new-member limits
            user.set_password(f"loadtest-{number}-pass")
            user.save()
            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
        customers.append(user)
    threads = list(Thread.objects.filter(state=State.PUBLISHED, board=board).order_by("-id")[:20])
    reply_thread = threads[0]  # a published demo thread: customers reply to it
    articles = ArticlePage.objects.live().public().filter(audience="public").order_by("path")[:30]
    agent = User.objects.get(email="agent@example.test")
    return {
        "board": board.url,
        "reply_thread": reply_thread.get_absolute_url(),
        "threads": [thread.get_absolute_url() for thread in threads],
        "articles": [article.url for article in articles],
        "customers": [session_for(user) for user in customers],
        "agent": session_for(agent, mfa=True),
    }


def report(stats_csv, seconds):
    rows = list(csv.DictReader(open(stats_csv, encoding="utf-8")))  # noqa: SIM115
    print(f"{'endpoint':<28} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}")
    errors = 0
    for row in rows:
        name = "all" if row["Name"] == "Aggregated" else row["Name"]
        errors += int(row["Failure Count"]) if name != "all" else 0
        print(
            f"{name:<28} {row['Request Count']:>8} {float(row['Requests/s']):>7.1f} {row['50%']:>7} {row['95%']:>7}"
            f" {row['99%']:>7} {row['Failure Count']:>6}"
        )
    return errors


def main():
    seconds = int(os.environ.get("LOADTEST_SECONDS", "20"))
    users = int(os.environ.get("LOADTEST_USERS", "20"))
    max_requests = os.environ.get("LOADTEST_MAX_REQUESTS", "20000")
    url = database_url()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": url,
        "ELASTICSEARCH_URL": os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9200"),
    }
    os.environ.update(env)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    import django

    django.setup()
    from forum.models import ForumIndexPage

    if not ForumIndexPage.objects.exists():
        manage(env, "demo_content", "--quiet-users")
    manage(env, "search_rebuild", "--no-progress")
    with tempfile.TemporaryDirectory(prefix="loadtest-") as work:
        plan_file = Path(work) / "plan.json"
        plan_file.write_text(json.dumps(plan()))
        with serve(settings_module=SETTINGS, env=env, ready_seconds=300) as base:
            print(f"loadtest: {users} users for {seconds} s (at most {max_requests} requests) against {base}")
            subprocess.run(
                [str(Path(sys.executable).with_name("locust")), "-f", "bench/locustfile.py", "--headless"]
                + ["-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", base]
                + ["--csv", f"{work}/run", "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5"],
                cwd=ROOT,
                env={**env, "LOADTEST_PLAN": str(plan_file), "LOADTEST_MAX_REQUESTS": max_requests},
                stdout=subprocess.DEVNULL,
                check=False,
            )
        errors = report(f"{work}/run_stats.csv", seconds)
        failures = Path(f"{work}/run_failures.csv").read_text(encoding="utf-8").strip().splitlines()[1:]
    for failure in failures[:10]:
        print("  error:", failure)
    print(f"errors: {errors}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
