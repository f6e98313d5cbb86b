"""`make loadtest` fails loudly on any server error: real locust runs the project's locustfile (bench/locustfile.py)
headless for a few seconds against a stand-in for the site, a loopback HTTP server that answers like the portal
(200 pages, 302 after a reply) except where the test makes it answer 5xx. The stand-in replaces only the site, so
what is tested is the load tool's own bookkeeping and verdict (bench/loadtest.py)."""

import http.server
import threading

import pytest

from bench.loadtest import report, run_locust, verdict

PLAN = {
    "board": "/forum/board/",
    "reply_thread": "/forum/board/t/1-thread/",
    "threads": ["/forum/board/t/1-thread/", "/forum/board/t/2-other/"],
    "articles": ["/kb/article-1/", "/kb/article-2/"],
    "customers": ["session-a", "session-b"],
    "agent": "session-agent",
}


@pytest.fixture
def site():
    """The stand-in site; `site.broken` maps a path prefix to the status it answers instead of 200."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self, status):
            for prefix, broken in server.broken.items():
                if self.path.startswith(prefix):
                    status = broken
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.send_header("Location", "/forum/board/t/1-thread/")
            self.end_headers()
            self.wfile.write(b"ok")

        def do_GET(self):  # noqa: N802 - http.server's hook name
            self._answer(200)

        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self._answer(302)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.broken = {}
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def run(site, tmp_path):
    return run_locust(f"http://127.0.0.1:{site.server_port}", PLAN, 4, 10, 100000, tmp_path)


def test_a_clean_run_prints_figures_and_passes(site, tmp_path, capsys):
    status, problems = run(site, tmp_path)

    assert report(status) == 0
    assert verdict(status, problems) == []
    assert status["total"]["requests"] == sum(row["requests"] for row in status["endpoints"]) > 0
    header, *lines = capsys.readouterr().out.splitlines()
    assert header.split() == ["endpoint", "requests", "req/s", "p50", "ms", "p95", "ms", "p99", "ms", "errors", "5xx"]
    assert lines[-1].split()[0] == "all"


def test_any_5xx_fails_the_run_and_names_the_endpoint(site, tmp_path):
    site.broken = {"/kb/": 500, "/console/": 503, "/api/": 502}  # the console task checks the status itself
    broken = {"KB article", "KB article, signed in", "agent console", "agent search API", "suggest API"}

    status, problems = run(site, tmp_path)
    lines = verdict(status, problems)

    fives = status["server_errors"]
    hit = {row["name"]: row["requests"] for row in status["endpoints"] if row["name"] in broken}
    assert fives == hit and sum(fives.values()) > 0  # every request to a broken endpoint, and no other
    assert lines[0] == f"{sum(fives.values())} server errors (5xx): " + ", ".join(
        f"{name} × {count}" for name, count in sorted(fives.items())
    )
    assert lines[1] == f"{status['total']['failures']} failed requests"
    assert status["total"]["failures"] == sum(fives.values())


def test_a_dead_site_fails_the_run(tmp_path):
    status, problems = run_locust("http://127.0.0.1:9", PLAN, 2, 2, 100000, tmp_path)  # nothing listens

    lines = verdict(status, problems)
    assert lines[0] == f"{status['total']['requests']} failed requests"
    # each endpoint's error is listed (in locust's order), the refused connections among them
    assert any("Connection refused" in line for line in lines[1:])
