"""Full page renders: CPU per request in one process, beside the peers' figures from BENCHMARKS.md.

The page cache answers anonymous readers in a few milliseconds; signed-in customers, moderators and agents
always get the full render, so that is what is measured here: each page rendered with the cache bypassed
(an unknown query parameter, ?render=1, which the views ignore) for an anonymous reader, and as the signed-in
demo customer. Django's test client in this process, DEBUG off (bench.settings_render): a copy of the demo
database (`make bench` builds it) taken afresh each run, var/bench_render.sqlite3, to which the bench adds one
thread of 20 posts (the demo's threads have at most 3; the peer's topic has 15), so the demo itself is left as it
is. Every page is warmed first, then CPU time (time.process_time) and queries are taken per request over ROUNDS
requests and the median printed, with the peer's figure, the target (half of it) and whether the signed-in render
meets it. A trivial view (/ping) is printed as the yardstick.
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
SETTINGS = "bench.settings_render"
THREAD_TITLE = "信用卡在境外刷不了卡，怎么开通境外交易？"
THREAD_POSTS = 20  # the question and 19 replies


def setup():
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    from bench.harness import copy_demo_database

    copy_demo_database("bench_render.sqlite3")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    bench_thread()


REPLIES = [
    ("sun", "我上个月去日本也遇到过，APP 里「卡片管理 → 境外交易」打开就好了。"),
    ("zhou", "补充一下：开通后要等几分钟才生效，别马上重刷。"),
    ("zhao", "我在 APP 里没找到这个入口，是不是版本太旧了？"),
    ("sun", "要更新到最新版，入口在**我的 → 信用卡 → 卡片设置**里。"),
    (
        "moderator",
        "您好，境外交易默认关闭是为了防止盗刷。开通方法：\n\n1. 手机银行 → 信用卡 → 卡片设置 → 境外交易；\n"
        "2. 或拨打 95588 转人工办理。\n\n开通后请留意单笔限额，详见[境外用卡说明](https://www.example.com/card/abroad)。",
    ),
    ("zhao", "谢谢，找到了！限额是在同一个页面改吗？"),
    ("zhou", "是的，同一页下面有「境外单笔限额」，可以自己调。"),
    ("sun", "请问开通境外交易要收费吗？"),
    ("zhou", "开通本身不收费，境外消费按卡种可能有货币转换费。"),
    ("zhou", "我的卡是银联单标的，在欧洲很多店刷不了，这个和开通有关系吗？"),
    ("moderator", "和开通无关：银联单标卡只能在受理银联的商户使用，出行前可以申请双标卡，或优先使用受理银联的商户。"),
    ("zhao", "明白了，我这张是双标的，应该没问题。"),
    ("zhao", "境外取现也需要单独开通吗？"),
    ("sun", "取现和消费是分开的开关，记得两个都看一下。"),
    ("zhou", "另外建议出国前打个电话报备一下行程，能少很多风控拦截。"),
    ("zhao", "已经刷成功了，感谢大家！"),
    ("sun", "收藏了，下个月出国正好用得上。"),
    ("sun", "回来以后记得把境外交易关掉，更安全。"),
    ("zhou", "+1，APP 里还能设置到期自动关闭。"),
]


def bench_thread():
    """The bench's thread of 20 posts on the first Chinese board (a customer's question, other customers' and a
    moderator's replies, the official answer accepted), written through the forum's own actions."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from forum import actions
    from forum.models import BoardPage, Thread

    board = BoardPage.objects.live().filter(locale__language_code="zh-hans").order_by("path").first()
    if Thread.objects.filter(board=board, title=THREAD_TITLE).exists():
        return
    people = {
        key: get_user_model().objects.get(email=email)
        for key, email in (
            ("zhao", "forum.zhao@example.test"),
            ("sun", "forum.sun@example.test"),
            ("zhou", "forum.zhou@example.test"),
            ("moderator", "moderator@example.test"),
        )
    }
    write = {"check_limits": False, "notify": False}
    started = timezone.now() - timedelta(days=2)
    question = "下周去新加坡出差，今天试着在境外网站付款被拒了，短信说「境外交易未开通」。请问在哪里开通？"
    thread = actions.create_thread(people["zhao"], board, title=THREAD_TITLE, body=question, now=started, **write)
    thread = thread.thread
    official = None
    for number, (who, body) in enumerate(REPLIES[: THREAD_POSTS - 1], start=1):
        post = actions.create_reply(
            people[who], thread, body=body, now=started + timedelta(minutes=37 * number), **write
        ).post
        if who == "moderator" and official is None:
            official = post
    actions.accept_answer(people["zhao"], official, notify=False)


def pages():
    """(key, label, path) of the pages measured, found in the demo content."""
    from django.db.models import Count, Q

    from forum.models import BoardPage, ForumIndexPage, Thread
    from kb.models import ArticlePage

    article = ArticlePage.objects.live().filter(locale__language_code="zh-hans", audience="public").first()
    thread = (
        Thread.objects.filter(title=THREAD_TITLE)
        .annotate(shown=Count("posts", filter=Q(posts__state="published")))
        .get()
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


def under_wrk(base, path, cookie=None):
    """(req/s, CPU ms per request in the workers) for wrk -t2 -c8 on one URL."""
    import urllib.parse
    import urllib.request

    path = urllib.parse.quote(path, safe="/?&=%-_.~")
    from bench.harness import workers_cpu

    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
    for _warm in range(5):
        urllib.request.urlopen(request, timeout=30).read()  # noqa: S310 - loopback only
    before = workers_cpu(base)
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{SECONDS}s", *headers, base + path], capture_output=True, text=True, check=True
    ).stdout
    cpu = workers_cpu(base) - before
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


def verdict(key, cpu):
    """'peer label: N ms, target <= N/2 ms: met' (or 'not met'), or '' for a page without a peer."""
    peer = PEERS.get(key)
    if not peer:
        return ""
    target = peer[1] / 2
    return f"{peer[0]}: {peer[1]} ms, target <= {target:.0f} ms: {'met' if cpu <= target else 'NOT met'}"


def in_process(anonymous, customer, profile_dir):
    print(f"full renders, CPU per request in one process (median of {ROUNDS}), queries per request")
    print(f"{'page':<34} {'anonymous':>18} {'signed-in customer':>22}   peer (signed-in target: half its CPU)")
    for key, label, path in pages():
        row, cpus = [], []
        for who, client in (("anonymous", anonymous), ("customer", customer)):
            profile = cProfile.Profile() if profile_dir and key != "ping" else None
            cpu, queries = measure(client, path, profile)
            row.append(f"{cpu:7.1f} ms {queries:3d} SQL")
            cpus.append(cpu)
            if profile:
                Path(profile_dir).mkdir(parents=True, exist_ok=True)
                profile.dump_stats(str(Path(profile_dir) / f"{key}-{who}.prof"))
        print(f"{label:<34} {row[0]:>18} {row[1]:>22}   {verdict(key, cpus[1])}")


def in_gunicorn():
    from bench.harness import serve

    cookie = customer_cookie()
    print(f"gunicorn (2 sync workers) + wrk -t2 -c8 -d{SECONDS}s: req/s and workers' CPU per request")
    print(f"{'page':<34} {'anonymous':>22} {'signed-in customer':>22}   peer (signed-in target: half its CPU)")
    with serve(settings_module=SETTINGS, ready_seconds=600) as base:
        for key, label, path in pages():
            url = path if key == "ping" else f"{path}{'&' if '?' in path else '?'}render=1"
            row, cpus = [], []
            for who in (None, cookie):
                rps, cpu = under_wrk(base, url, who)
                row.append(f"{rps:6.1f}/s {cpu:6.1f} ms")
                cpus.append(cpu)
            print(f"{label:<34} {row[0]:>22} {row[1]:>22}   {verdict(key, cpus[1])}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
