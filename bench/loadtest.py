"""`make loadtest`: a realistic mix against gunicorn (2 sync workers) on PostgreSQL + Elasticsearch, on loopback.

Anonymous readers (home, KB articles, board, threads, search, suggestions), signed-in customers (reading,
searching, replying), and agents (the console and the search API), driven by locust (bench/locustfile.py),
bounded in time (LOADTEST_SECONDS, default 20) and in requests (LOADTEST_MAX_REQUESTS, default 20,000).
Prints req/s, p50/p95/p99, errors and 5xx per endpoint, and exits non-zero, saying why on stderr, on any
failed request, any 5xx (even one a task's own check let through), or a locust that crashed, hung past
LOADTEST_SECONDS + 60 s, or made no requests: 0 errors is the bar.

The database is portal_loadtest on the local PostgreSQL (scripts/postgres.sh), built from the demo once and
reused; the search indices live under the prefix "loadtest" on ELASTICSEARCH_URL (default a node on :9200)
and are rebuilt every run. Tasks run after each commit in the web process (the immediate backend), so a reply
is indexed and its mail sent inside the request: a harsher load than production's task worker.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
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


def run_locust(base, plan_data, seconds, users, max_requests, work):
    """bench/locustfile.py headless against `base` for `seconds` (then at most 60 s more to stop, or it is
    killed). Returns (status, problems): the figures the locustfile wrote when it quit, and anything that makes
    them untrustworthy (locust crashed, hung, or wrote no figures)."""
    work = Path(work)
    (work / "plan.json").write_text(json.dumps(plan_data))
    status_file = work / "status.json"
    problems = []
    try:
        completed = subprocess.run(
            [str(Path(sys.executable).with_name("locust")), "-f", "bench/locustfile.py", "--headless"]
            + ["-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", base]
            + ["--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5"],
            cwd=ROOT,
            env={
                **os.environ,
                "LOADTEST_PLAN": str(work / "plan.json"),
                "LOADTEST_MAX_REQUESTS": str(max_requests),
                "LOADTEST_STATUS": str(status_file),
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            timeout=seconds + 60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, [f"locust did not stop within {seconds + 60} s"]
    if not status_file.exists():
        return None, [f"locust wrote no figures (exit {completed.returncode}): {completed.stderr.strip()[-2000:]}"]
    if completed.returncode not in (0, 1):  # 1 is locust's own "some requests failed"
        problems.append(f"locust exited with {completed.returncode}: {completed.stderr.strip()[-2000:]}")
    return json.loads(status_file.read_text()), problems


def report(status):
    """Print req/s, p50/p95/p99, errors and 5xx per endpoint and in all; returns the number of failed requests."""
    print(
        f"{'endpoint':<28} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}"
        f" {'5xx':>5}"
    )
    fives = status["server_errors"]
    for row in [*status["endpoints"], {**status["total"], "name": "all"}]:
        count = sum(fives.values()) if row["name"] == "all" else fives.get(row["name"], 0)
        print(
            f"{row['name']:<28} {row['requests']:>8} {row['rps']:>7.1f} {row['p50']:>7.0f} {row['p95']:>7.0f}"
            f" {row['p99']:>7.0f} {row['failures']:>6} {count:>5}"
        )
    return status["total"]["failures"]


def verdict(status, problems):
    """Everything that fails the run, as lines to print (none: it passed). 0 errors and 0 × 5xx is the bar."""
    lines = list(problems)
    if status is None:
        return lines
    fives = status["server_errors"]
    if fives:
        lines.append(
            f"{sum(fives.values())} server errors (5xx): "
            + ", ".join(f"{name} × {count}" for name, count in sorted(fives.items()))
        )
    if status["total"]["failures"]:
        lines.append(f"{status['total']['failures']} failed requests")
        lines += [f"  {e['method']} {e['name']}: {e['error']} × {e['occurrences']}" for e in status["errors"][:10]]
    if not status["total"]["requests"]:
        lines.append("no requests were made")
    return lines


def main():
    seconds = int(os.environ.get("LOADTEST_SECONDS", "20"))
    users = int(os.environ.get("LOADTEST_USERS", "20"))
    max_requests = int(os.environ.get("LOADTEST_MAX_REQUESTS", "20000"))
    started = time.monotonic()
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
    print(f"loadtest: set up in {time.monotonic() - started:.0f} s")
    with (
        tempfile.TemporaryDirectory(prefix="loadtest-") as work,
        serve(settings_module=SETTINGS, env=env, ready_seconds=300) as base,
    ):
        print(f"loadtest: {users} users for {seconds} s (at most {max_requests} requests) against {base}")
        status, problems = run_locust(base, plan(), seconds, users, max_requests, work)
    if status is not None:
        errors = report(status)
        print(f"errors: {errors}; 5xx: {sum(status['server_errors'].values())}", end="; ")
    print(f"took {time.monotonic() - started:.0f} s in all")
    lines = verdict(status, problems)
    if lines:
        print("LOADTEST FAILED", *lines, sep="\n  ", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
