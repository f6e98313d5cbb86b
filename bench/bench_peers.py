"""The portal beside Wagtail's bakerydemo in one run: search page, home and article, as BENCHMARKS.md measures peers.

Both sites are served by gunicorn with 2 sync workers (DEBUG off, SQLite) and loaded in turn by wrk -t2 -c8 for
BENCH_SECONDS on loopback, rounds interleaved (BENCH_PEER_ROUNDS, default 3); CPU per request is the workers'
user+system CPU over a round divided by the requests served, and the median round is printed with the req/s
ratio (ours / peer) and the CPU ratio (peer / ours) beside the target (search >= 3, the pages >= 2). Ours is
measured with Elasticsearch (ELASTICSEARCH_URL; its indices are rebuilt under the prefix "peerbench") and on
the database fallback. BENCH_PEER_PAGES picks pages (search,home,article).

The peer is not part of this repository: point PEER_BAKERYDEMO at a checkout of wagtail/bakerydemo (8e2b625)
with its own virtualenv in .venv (Wagtail 8.0.1, Django 5.2, gunicorn; django-debug-toolbar<5 as its
requirements pin it: 8.x needs an app bakerydemo does not install), migrated, `load_initial_data` and
`update_index` run, and a settings module bakerydemo/settings/bench.py (base + DEBUG = False,
ALLOWED_HOSTS = ["*"]). Without it this prints how to set it up and exits. Nothing is asserted.
Set up as measured (8e2b625's requirements name Django 6.0 and Wagtail 7.4, so those two are pinned by hand; with
DEBUG off its manifest static storage needs collectstatic, or every page is a 500):

    git --git-dir=<bakerydemo git dir> archive 8e2b625 | tar -x -C /path/to/bakerydemo && cd /path/to/bakerydemo
    python3.11 -m venv .venv && .venv/bin/pip install "wagtail==8.0.1" "Django>=5.2,<5.3" "django-debug-toolbar<5" \
        "python-dotenv>=1.2.1,<2" "wagtail-font-awesome-svg>=1,<2" "django-extensions>=4.1,<5" "django-csp>=3.8,<4" \
        "dj-database-url>=3.1.0,<4" whitenoise gunicorn
    printf 'from .base import *  # noqa: F403\n\nDEBUG = False\nALLOWED_HOSTS = ["*"]\n' > bakerydemo/settings/bench.py
    export DJANGO_SETTINGS_MODULE=bakerydemo.settings.bench
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_initial_data
    .venv/bin/python manage.py update_index && .venv/bin/python manage.py collectstatic --noinput

Run: `PEER_BAKERYDEMO=/path/to/bakerydemo .venv/bin/python -m bench.bench_peers` (BENCH_PEER_INDEX_PREFIX: the
Elasticsearch index prefix, "peerbench" by default, when several runs share one node).
"""

import contextlib
import os
import statistics
import subprocess
import sys
import urllib.request
from pathlib import Path

from bench.harness import ROOT, bench_database, serve

ROUNDS = int(os.environ.get("BENCH_PEER_ROUNDS", "3"))
# Which pages (comma-separated keys of PAIRS: search, home, article); all by default.
PAGES = [p for p in os.environ.get("BENCH_PEER_PAGES", "search,home,article").split(",") if p]
# Our own prefix per run when several share one Elasticsearch node.
PREFIX = os.environ.get("BENCH_PEER_INDEX_PREFIX", "peerbench")
# key: (what, peer path, our path, target ratio)
PAIRS = {
    "search": ("search page", "/search/?q=bread", "/search/?q=网银登录不上", 3),
    "home": ("home", "/", "/", 2),
    "article": ("article (blog post / KB article)", None, None, 2),
}


def serve_peer(root):
    """bakerydemo under its own gunicorn (2 sync workers, its virtualenv); yields the base URL."""
    return serve(
        settings_module="bakerydemo.settings.bench",
        app="bakerydemo.wsgi:application",
        cwd=root,
        gunicorn=root / ".venv/bin/gunicorn",
        ready_path="/",
    )


def peer_blog_post(base):
    """The first blog post linked from bakerydemo's blog index."""
    import re

    page = urllib.request.urlopen(base + "/blog/", timeout=10).read().decode()  # noqa: S310 - loopback only
    return re.search(r'href="(/blog/[\w-]+/)"', page).group(1)


def our_article():
    from kb.models import ArticlePage

    article = ArticlePage.objects.live().filter(locale__language_code="zh-hans", audience="public").first()
    return article.url


def main():
    root = os.environ.get("PEER_BAKERYDEMO")
    if not root or not (Path(root) / ".venv/bin/gunicorn").exists():
        print("peers: skipped - set PEER_BAKERYDEMO to a bakerydemo checkout with .venv (see bench/bench_peers.py)")
        return
    os.environ.pop("DATABASE_URL", None)  # both sites on their SQLite file, as BENCHMARKS.md measures peers
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ["PORTAL_SEARCH_INDEX_PREFIX"] = PREFIX
    import django

    bench_database()  # bench.settings' copy of the demo, before Django opens it

    django.setup()
    from bench.bench_render import under_wrk

    es_url = os.environ.get("ELASTICSEARCH_URL", "")
    if es_url:
        subprocess.run(
            [sys.executable, "manage.py", "search_rebuild", "--no-progress"],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    backends = [("Elasticsearch", es_url)] if es_url else []
    backends.append(("database", ""))
    results = {}
    with contextlib.ExitStack() as stack:
        peer = stack.enter_context(serve_peer(Path(root)))
        ours = {name: stack.enter_context(serve(env={"ELASTICSEARCH_URL": url})) for name, url in backends}
        pairs = [
            (what, peer_path or peer_blog_post(peer), our_path or our_article(), target)
            for what, peer_path, our_path, target in (PAIRS[key] for key in PAGES)
        ]
        for _round in range(ROUNDS):
            for what, peer_path, our_path, _target in pairs:
                results.setdefault((what, "bakerydemo"), []).append(under_wrk(peer, peer_path))
                for name, base in ours.items():
                    path = f"{our_path}{'&' if '?' in our_path else '?'}render=1"  # past the page cache
                    results.setdefault((what, name), []).append(under_wrk(base, path))
    print(f"portal beside bakerydemo: gunicorn 2 sync workers, wrk -t2 -c8, median of {ROUNDS} interleaved rounds")
    print(
        f"{'page':<34} {'site':<14} {'req/s':>8} {'CPU/req':>9}   req/s ours / peer (target)   peer CPU / ours (target)"
    )
    for what, _peer_path, _our_path, target in pairs:
        peer_rps = statistics.median(rps for rps, _cpu in results[(what, "bakerydemo")])
        peer_cpu = statistics.median(cpu for _rps, cpu in results[(what, "bakerydemo")])
        for site in ["bakerydemo", *ours]:
            rps = statistics.median(r for r, _cpu in results[(what, site)])
            cpu = statistics.median(c for _rps, c in results[(what, site)])
            ratios = ""
            if site != "bakerydemo":
                ratios = f"{rps / peer_rps:5.2f}x (>= {target}x)            {peer_cpu / cpu:5.2f}x (>= {target}x)"
            print(f"{what:<34} {site:<14} {rps:8.1f} {cpu:7.1f} ms   {ratios}")


if __name__ == "__main__":
    main()
