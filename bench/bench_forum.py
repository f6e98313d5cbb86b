"""Forum at scale: 1,000,000 posts on PostgreSQL, then p50/p95 of the board page, the last page of a 5,000-post
thread and the moderators' SLA queue, beside the trivial view and the 50 ms p95 target (BENCHMARKS.md).

The data lives in its own database (BENCH_DATABASE, default portal_bench, on the local PostgreSQL from
scripts/postgres.sh: each person on a shared server names their own) and is generated once with COPY: later
runs reuse it (`--generate` only builds it). The site is served by gunicorn (2 sync workers, DEBUG off) with
bench/settings_pg.py: the test settings reading DATABASE_URL, connections kept between requests as in
production. Anonymous pages are printed as readers get them (the page cache) and rendered (cache bypassed);
then as a signed-in customer and as the moderator. Latencies come from sequential requests (one at a time, so
p95 is the page's own cost, not queueing), in BENCH_ROUNDS interleaved rounds, with the workers' CPU per
request beside them; BENCH_BASELINE=/path/to/another/checkout serves that code too, on the same database, and
interleaves it with ours (before/after in one run). Throughput comes from wrk -t2 -c8 as in BENCHMARKS.md.
Run: `BENCH_DATABASE=bench_mine .venv/bin/python -m bench.bench_forum`.
"""

import contextlib
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.harness import ROOT, percentile, serve, workers_cpu, wrk

TOTAL_POSTS = 1_000_000
BIG_THREAD_POSTS = 5_000
POSTS_PER_THREAD = 50
WAITING_SHARE = 0.05  # threads still waiting for a first response (the SLA queue)
USERS = 2_000
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "300"))  # per page and site, split over the rounds
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
TARGET_P95_MS = 50  # BENCHMARKS.md: board, last page of a 5,000-post thread, SLA queue on a quiet run
SETTINGS = "bench.settings_pg"


def database_url():
    url = (
        subprocess.run(["bash", "scripts/postgres.sh"], cwd=ROOT, capture_output=True, text=True, check=True)
        .stdout.strip()
        .splitlines()[-1]
    )
    base, _sep, _name = url.rpartition("/")
    import psycopg

    name = os.environ.get("BENCH_DATABASE", "portal_bench")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"BENCH_DATABASE must be letters, digits and underscores, not {name!r}")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    import django

    django.setup()


def generate():
    """Create the bench board and 1,000,000 posts with COPY, unless they are there already. Returns URLs."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from forum.models import BoardPage, ForumIndexPage, Post, Thread

    index = ForumIndexPage.objects.get(locale__language_code="zh-hans")
    board = BoardPage.objects.filter(slug="bench-board").first()
    if board is None:
        board = BoardPage(title="压测版块", slug="bench-board", description="1,000,000 posts")
        index.add_child(instance=board)
        board.save_revision().publish()
    existing = Post.objects.filter(thread__board=board).count()
    if existing >= TOTAL_POSTS:
        print(f"reusing {existing:,} posts on the bench board")
        return board
    started = time.monotonic()
    Thread.objects.filter(board=board).delete()
    User = get_user_model()
    have = User.objects.filter(email__startswith="bench-").count()
    User.objects.bulk_create(
        [
            User(email=f"bench-{n}@example.test", display_name=f"压测用户{n}", password="!")  # noqa: S106
            for n in range(have, USERS)
        ],
        batch_size=1000,
    )
    user_ids = list(User.objects.filter(email__startswith="bench-").values_list("pk", flat=True))
    moderator = User.objects.get(email="moderator@example.test").pk
    now = timezone.now()
    rng = random.Random(42)  # noqa: S311 - reproducible data, not security
    sizes = [BIG_THREAD_POSTS]
    left = TOTAL_POSTS - BIG_THREAD_POSTS
    while left > 0:
        size = min(left, rng.randint(POSTS_PER_THREAD // 2, POSTS_PER_THREAD * 3 // 2))
        sizes.append(size)
        left -= size
    threads = []
    for number in range(len(sizes)):
        created = now - timezone.timedelta(minutes=10 * (len(sizes) - number))
        waiting = number > 0 and rng.random() < WAITING_SHARE
        threads.append(
            Thread(
                board=board,
                title=f"压测主题 {number}：信用卡还款与网银登录问题" if number else "压测：五千楼的长帖",
                slug=f"bench-{number}",
                author_id=rng.choice(user_ids),
                sla_due_at=created + timezone.timedelta(hours=24),
                first_response_at=None if waiting else created + timezone.timedelta(hours=1),
                status="open" if waiting else "answered",
                created_at=created,
                last_post_at=created,
            )
        )
    Thread.objects.bulk_create(threads, batch_size=5000)
    thread_rows = list(Thread.objects.filter(board=board).order_by("id").values_list("pk", "created_at"))
    body = "您好，我在使用网上银行时遇到了问题，登录后提示证书过期，请问应该如何更新？谢谢版主。"
    html = f"<p>{body}</p>"
    columns = (
        "thread_id, author_id, body, body_html, state, is_opening, is_official, hidden_reason, flag_count, "
        "masked_kinds, body_hash, created_at, edit_count"
    )
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY forum_post ({columns}) FROM STDIN"  # noqa: S608 - constant column list
        ) as copy,
    ):
        for (thread_id, created), size in zip(thread_rows, sizes, strict=True):
            for position in range(size):
                official = position == 1
                copy.write_row(
                    (
                        thread_id,
                        moderator if official else rng.choice(user_ids),
                        body,
                        html,
                        "published",
                        position == 0,
                        official,
                        "",
                        0,
                        "[]",
                        "0" * 64,
                        created + timezone.timedelta(seconds=30 * position),
                        0,
                    )
                )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE forum_thread t SET reply_count = s.n - 1, last_post_id = s.last_id, opening_post_id = s.first_id,
                   last_post_at = s.last_at
            FROM (SELECT thread_id, count(*) AS n, max(id) AS last_id, min(id) AS first_id, max(created_at) AS last_at
                  FROM forum_post GROUP BY thread_id) s
            WHERE t.id = s.thread_id AND t.board_id = %s
            """,
            [board.pk],
        )
        cursor.execute("ANALYZE forum_post; ANALYZE forum_thread;")
    print(f"generated {sum(sizes):,} posts in {len(sizes):,} threads in {time.monotonic() - started:.0f} s")
    return board


def session_cookie(email):
    """A signed-in session for a demo account (MFA already checked for staff), as a Cookie header value."""
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


def moderator_cookie():
    return session_cookie("moderator@example.test")


def customer_cookie():
    return session_cookie("customer@example.test")


def latencies(base, path, cookie=None, samples=SAMPLES):
    """(milliseconds of each of `samples` sequential requests, the workers' CPU ms per request)."""
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
    for _warm in range(5):
        urllib.request.urlopen(request, timeout=30).read()  # noqa: S310 - loopback only
    times = []
    cpu_before = workers_cpu(base)
    for _sample in range(samples):
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback only
            response.read()
            assert response.status == 200
        times.append((time.perf_counter() - started) * 1000)
    return times, (workers_cpu(base) - cpu_before) * 1000 / samples


def verdict(p95):
    return f"<= {TARGET_P95_MS:.0f} ms: {'met' if p95 <= TARGET_P95_MS else 'NOT met'}"


def prepare():
    """Migrate the bench database, give it the demo, generate the posts; returns (database URL, board)."""
    url = database_url()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": url}
    manage(env, "migrate", "--noinput", "-v0")
    setup_django(url)
    from forum.models import ForumIndexPage

    if not ForumIndexPage.objects.exists():  # the demo gives the site, the boards and the demo moderator
        manage(env, "demo_content")
    return url, generate()


def main():
    url, board = prepare()
    if "--generate" in sys.argv[1:]:  # only build the data (it takes minutes), measure later
        return
    from forum.models import Thread

    big = Thread.objects.filter(board=board).order_by("id").first()
    moderator, customer = moderator_cookie(), customer_cookie()
    # Anonymous readers are answered by the page cache (portal/core/pagecache.py); an unknown query parameter
    # (?render=1, ignored by the views) bypasses it, which gives the full render's own cost too.
    thread_url = big.get_absolute_url()
    last = f"{thread_url}?last=1"
    pages = [  # (label, path, cookie, held to the p95 target)
        ("trivial view (/ping)", "/ping", None, False),
        ("board (20,000 threads), anonymous", board.url, None, True),
        ("  rendered (page cache bypassed)", f"{board.url}?render=1", None, True),
        ("  signed-in customer", board.url, customer, True),
        ("  moderator", board.url, moderator, True),
        ("last page of a 5,000-post thread, anonymous", last, None, True),
        ("  rendered (page cache bypassed)", f"{last}&render=1", None, True),
        ("  signed-in customer", last, customer, True),
        ("  moderator", last, moderator, True),
        ("first page of that thread, rendered", f"{thread_url}?render=1", None, False),
        ("SLA queue (moderator)", "/forum/moderation/sla/", moderator, True),
    ]
    baseline = os.environ.get("BENCH_BASELINE")
    sites = [("ours", ROOT)] + ([("baseline", Path(baseline).resolve())] if baseline else [])
    samples = max(1, SAMPLES // ROUNDS)
    env = {"DATABASE_URL": url}
    with contextlib.ExitStack() as stack:
        bases = {name: stack.enter_context(serve(SETTINGS, env=env, ready_seconds=600, cwd=cwd)) for name, cwd in sites}
        threads = Thread.objects.filter(board=board).count()
        load = ", ".join(f"{figure:.2f}" for figure in os.getloadavg())
        print(f"forum bench on PostgreSQL ({url.rsplit('/', 1)[1]}): {threads:,} threads; load average {load}")
        print(
            f"{ROUNDS} rounds interleaved, {samples} sequential requests per page and site each; p50/p95 over all "
            "requests, server CPU per request = the gunicorn workers' user+system time (median of the rounds)"
        )
        # Keyed by the page's position: the indented labels ("  moderator") repeat under each page.
        times = {(number, name): [] for number in range(len(pages)) for name, _cwd in sites}
        cpu = {key: [] for key in times}
        for _round in range(ROUNDS):
            for number, (_label, path, cookie, _target) in enumerate(pages):
                for name, _cwd in sites:
                    got, per_request = latencies(bases[name], path, cookie, samples)
                    times[number, name] += got
                    cpu[number, name].append(per_request)
        print(f"{'page':<46} {'site':<9} {'p50':>8} {'p95':>8} {'CPU/req':>9}   p95 target")
        for number, (label, _path, _cookie, target) in enumerate(pages):
            for name, _cwd in sites:
                p95 = percentile(times[number, name], 0.95)
                print(
                    f"{label:<46} {name:<9} {percentile(times[number, name], 0.5):6.1f}ms {p95:6.1f}ms "
                    f"{statistics.median(cpu[number, name]):7.1f}ms   {verdict(p95) if target else ''}"
                )
        base = bases["ours"]
        print("throughput (wrk -t2 -c8, ours):")
        print(wrk(f"{base}/ping", "trivial view (/ping)").line())
        print(wrk(base + board.url, "board page").line())
        print(wrk(f"{base}{board.url}?render=1", "board page, rendered").line())
        print(wrk(f"{base}{last}", "last page of the 5,000-post thread").line())
        print(wrk(f"{base}{last}&render=1", "  same, rendered").line())


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
