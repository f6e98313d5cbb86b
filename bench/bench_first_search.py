"""The first search of a fresh server process: how long the customer who makes it waits.

Runs each round in a new process on the demo database (var/portal.sqlite3; `make demo` builds it), with
the database backend (ELASTICSEARCH_URL unset) unless BENCH_ES is set. "cold": the search runs with nothing
built (as before the warm-up). "server": as a server process starts - loading portal.wsgi prepares what
every request needs and starts the background warm-up (search.warmup) - with the first search at once, or
3 s after start; then another. "server, first search page": the process's first request is a GET of the
search page through the WSGI application (URL map, templates, middleware and the search), then another.
Prints seconds and the worst first wait beside the 1 s target; asserts nothing.
Run: `.venv/bin/python -m bench.bench_first_search` (BENCH_ROUNDS, default 3).
"""

import json
import os
import statistics
import subprocess
import sys

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))

CHILD = r"""
import json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
mode = sys.argv[1]
if mode == "cold":
    import django
    django.setup()
else:  # a server: loading the WSGI application prepares and starts the warm-up (search.warmup)
    import portal.wsgi  # noqa: F401
    if mode == "server, first request 3 s after start":
        time.sleep(3)
from search.queries import SearchRequest, search
request = SearchRequest("网银转帐限额是多少", frozenset({"public"}), locale="zh-hans")


def page():
    from django.test import RequestFactory

    environ = RequestFactory(HTTP_HOST="localhost").get("/search/", {"q": "网银转帐限额是多少"}).environ
    status = []
    body = b"".join(portal.wsgi.application(environ, lambda code, headers, *_: status.append(code)))
    assert status[0].startswith("200"), status
    return body.count(b'class="sr-result"')


run = page if mode == "server, first search page" else lambda: len(search(request).hits)
out = {}
started = time.perf_counter()
out["hits"] = run()
out["first"] = time.perf_counter() - started
time.sleep(float(os.environ.get("BENCH_PAUSE", "3")))
started = time.perf_counter()
run()
out["later"] = time.perf_counter() - started
print(json.dumps(out))
"""


def run(mode, root):
    env = {**os.environ, "PYTHONPATH": root}
    if not os.environ.get("BENCH_ES"):
        env.pop("ELASTICSEARCH_URL", None)
    answer = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", CHILD, mode], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(answer.stdout.strip().splitlines()[-1])


def main():
    root = os.environ.get("BENCH_ROOT", os.getcwd())
    modes = ["cold"]
    if not os.environ.get("BENCH_COLD_ONLY"):
        modes += ["server, first request at once", "server, first request 3 s after start", "server, first search page"]
    worst = 0.0
    for mode in modes:
        rounds = [run(mode, root) for _ in range(ROUNDS)]
        first = [r["first"] for r in rounds]
        later = [r["later"] for r in rounds]
        print(
            f"{mode}: first search {statistics.median(first):.2f} s (max {max(first):.2f}), "
            f"a later one {statistics.median(later) * 1000:.0f} ms; {rounds[0]['hits']} hits  [{root}]"
        )
        if mode != "cold":
            worst = max(worst, *first)
    if worst:
        print(f"longest first wait of a server process: {worst:.2f} s (target <= 1 s)")


if __name__ == "__main__":
    main()
