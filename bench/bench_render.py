"""Full page renders: CPU per request in one process, beside the peers' figures from BENCHMARKS.md.

The page cache answers anonymous readers in a few milliseconds; signed-in customers, moderators and agents
always get the full render, so that is what is measured here: each page rendered with the cache bypassed
(an unknown query parameter, ?render=1, which the views ignore) for an anonymous reader, and as the signed-in
demo customer. Django's test client in this process, DEBUG off (bench.settings), the demo database
(`make bench` builds it); every page is warmed first, then CPU time (time.process_time) and queries are taken
per request over ROUNDS requests and the median printed. A trivial view (/ping) is printed as the yardstick.
Then the same pages as BENCHMARKS.md measures the peers: gunicorn with 2 sync workers (DEBUG off), wrk -t2 -c8
for BENCH_SECONDS on loopback, CPU per request = the workers' user+system CPU over the run / requests served.
Nothing is asserted. BENCH_PROFILE=DIR writes a cProfile file per page there.
Run: `.venv/bin/python -m bench.bench_render` (BENCH_ROUNDS, default 30; BENCH_SECONDS, default 8).
"""

import cProfile
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
PARTS = os.environ.get("BENCH_PARTS", "process,wrk").split(",")
# CPU per request of the peer page (BENCHMARKS.md: bakerydemo on Wagtail 8.0.1, django-machina 1.3.1).
PEERS = {
    "home": ("bakerydemo home", 150),
    "article": ("bakerydemo blog post", 60),
    "thread": ("machina topic, 15 posts", 70),
    "board": ("machina forum page", 60),
    "forum": ("machina index", 40),
    "search": ("bakerydemo search", 125),
}


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def pages():
    """(key, label, path) of the pages measured, found in the demo content."""
    from django.db.models import Count, Q

    from forum.models import BoardPage, ForumIndexPage, Thread
    from kb.models import ArticlePage

    article = ArticlePage.objects.live().filter(locale__language_code="zh-hans", audience="public").first()
    thread = (
        Thread.objects.filter(board__locale__language_code="zh-hans", board__live=True, state="published")
        .annotate(shown=Count("posts", filter=Q(posts__state="published")))
        .order_by("-shown", "pk")
        .first()
    )
    board = BoardPage.objects.live().filter(locale__language_code="zh-hans").first()
    forum = ForumIndexPage.objects.live().filter(locale__language_code="zh-hans").first()
    return [
        ("ping", "trivial view (/ping)", "/ping"),
        ("home", "home page (zh-hans)", "/"),
        ("article", "KB article (zh-hans)", article.url),
        ("thread", f"thread page ({thread.shown} posts)", thread.get_absolute_url()),
        ("board", "board page", board.url),
        ("forum", "forum index", forum.url),
        ("search", "search page (网银登录不上)", "/search/?q=网银登录不上"),
    ]


def measure(client, path, profile=None):
    from django.db import connection, reset_queries

    separator = "&" if "?" in path else "?"
    url = f"{path}{separator}render=1" if path != "/ping" else path
    for _warm in range(3):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    cpu, queries = [], []
    connection.force_debug_cursor = True
    try:
        for _round in range(ROUNDS):
            reset_queries()
            if profile:
                profile.enable()
            started = time.process_time()
            client.get(url)
            cpu.append((time.process_time() - started) * 1000)
            if profile:
                profile.disable()
            queries.append(len(connection.queries))
    finally:
        connection.force_debug_cursor = False
    return statistics.median(cpu), max(queries)


def customer_cookie():
    """A signed-in session of the demo customer, as a Cookie header value."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(email="customer@example.test")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _workers_cpu(port):
    """User+system CPU seconds of the gunicorn workers serving `port` (children of its master)."""
    ticks = os.sysconf("SC_CLK_TCK")
    masters, total = set(), 0.0
    stats = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[pid] = fields
        if "gunicorn" in cmdline and f"127.0.0.1:{port}" in cmdline:
            masters.add(pid)
    for fields in stats.values():
        if fields[1] in masters:  # ppid
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def under_wrk(base, path, cookie=None):
    """(req/s, CPU ms per request in the workers) for wrk -t2 -c8 on one URL."""
    import urllib.parse
    import urllib.request

    path = urllib.parse.quote(path, safe="/?&=%-_.~")
    port = int(base.rsplit(":", 1)[1])
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
    for _warm in range(5):
        urllib.request.urlopen(request, timeout=30).read()  # noqa: S310 - loopback only
    before = _workers_cpu(port)
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{SECONDS}s", *headers, base + path], capture_output=True, text=True, check=True
    ).stdout
    cpu = _workers_cpu(port) - before
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return rps, cpu * 1000 / max(requests, 1)


def main():
    setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    anonymous = Client()
    customer = Client()
    customer.force_login(get_user_model().objects.get(email="customer@example.test"))
    profile_dir = os.environ.get("BENCH_PROFILE")
    if "process" in PARTS:
        in_process(anonymous, customer, profile_dir)
    if "wrk" in PARTS:
        in_gunicorn()


def in_process(anonymous, customer, profile_dir):
    print(f"full renders, CPU per request in one process (median of {ROUNDS}), queries per request")
    print(f"{'page':<34} {'anonymous':>18} {'signed-in customer':>22}   peer (target: half its CPU)")
    for key, label, path in pages():
        row = []
        for who, client in (("anonymous", anonymous), ("customer", customer)):
            profile = cProfile.Profile() if profile_dir and key != "ping" else None
            cpu, queries = measure(client, path, profile)
            row.append(f"{cpu:7.1f} ms {queries:3d} SQL")
            if profile:
                Path(profile_dir).mkdir(parents=True, exist_ok=True)
                profile.dump_stats(str(Path(profile_dir) / f"{key}-{who}.prof"))
        peer = PEERS.get(key)
        peer_text = f"{peer[0]}: {peer[1]} ms (target <= {peer[1] / 2:.0f} ms)" if peer else ""
        print(f"{label:<34} {row[0]:>18} {row[1]:>22}   {peer_text}")


def in_gunicorn():
    from bench.harness import serve

    cookie = customer_cookie()
    print(f"gunicorn (2 sync workers) + wrk -t2 -c8 -d{SECONDS}s: req/s and workers' CPU per request")
    print(f"{'page':<34} {'anonymous':>22} {'signed-in customer':>22}   peer CPU (target: half)")
    with serve(ready_seconds=600) as base:
        for key, label, path in pages():
            url = path if key == "ping" else f"{path}{'&' if '?' in path else '?'}render=1"
            row = []
            for who in (None, cookie):
                rps, cpu = under_wrk(base, url, who)
                row.append(f"{rps:6.1f}/s {cpu:6.1f} ms")
            peer = PEERS.get(key)
            peer_text = f"{peer[0]}: {peer[1]} ms (target <= {peer[1] / 2:.0f} ms)" if peer else ""
            print(f"{label:<34} {row[0]:>22} {row[1]:>22}   {peer_text}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
