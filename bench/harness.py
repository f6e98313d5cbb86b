"""Shared benchmark harness: serve the app with gunicorn (DEBUG off) and load it with wrk on loopback.

Figures are printed beside a trivial Django view measured in the same run, the yardstick the
benchmark targets use. Nothing here asserts a time.
"""

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass
class Result:
    label: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int

    def line(self):
        return (
            f"{self.label:<38} {self.requests_per_second:>9.1f} req/s   p50 {self.p50_ms:>7.1f} ms"
            f"   p99 {self.p99_ms:>7.1f} ms   errors {self.errors}"
        )


def copy_demo_database(name):
    """The demo database (var/portal.sqlite3, built by `make bench` or `make run`) copied afresh to var/`name`
    with SQLite's backup (consistent even while the demo is being served): a bench that adds rows adds them there,
    never to the demo a person signs in to."""
    import sqlite3

    var = Path(os.environ.get("PORTAL_VAR_DIR", ROOT / "var"))
    source, target = var / "portal.sqlite3", var / name
    if not source.exists():
        raise SystemExit(f"{source} is missing: run `make bench` (or `make run`) once to build the demo")
    for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):  # an old log must not replay onto the copy
        stale.unlink(missing_ok=True)
    with sqlite3.connect(source) as old, sqlite3.connect(target) as new:
        old.backup(new)


def bench_database():
    """bench.settings' own database, var/bench.sqlite3: a copy of the demo taken when it is missing or older than
    the demo, so what the benches write (the search log of thousands of searches, sessions) never reaches the
    demo `make run` serves. Kept between runs otherwise: two servers of one bench may share it at once."""
    var = Path(os.environ.get("PORTAL_VAR_DIR", ROOT / "var"))
    demo, copy = var / "portal.sqlite3", var / "bench.sqlite3"
    changed = max((path.stat().st_mtime for path in (demo, Path(f"{demo}-wal")) if path.exists()), default=0)
    if not copy.exists() or copy.stat().st_mtime < changed:
        copy_demo_database(copy.name)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(
    settings_module="bench.settings",
    workers=2,
    env=None,
    ready_seconds=60,
    app="portal.wsgi_bench:application",
    cwd=ROOT,
    gunicorn=None,
    ready_path="/ping",
):
    """gunicorn with sync workers on a free loopback port; yields the base URL once `ready_path` answers.

    By default the portal; `app`, `cwd` and `gunicorn` serve another site (a peer in its own virtualenv)."""
    port = free_port()
    if settings_module == "bench.settings":
        bench_database()
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module, **(env or {})}
    process = subprocess.Popen(
        [
            str(gunicorn or Path(PYTHON).with_name("gunicorn")),
            app,
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=cwd,
        env=environment,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_seconds
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}{ready_path}", timeout=2).read()  # noqa: S310 - loopback only
                break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError(f"gunicorn did not answer on {ready_path} within {ready_seconds} s")
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def wrk(url, label, seconds=10, threads=2, connections=8):
    """Load one URL with wrk (-t2 -c8, as in BENCHMARKS.md) and parse its figures."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed: apt-get install wrk")
    urllib.request.urlopen(url, timeout=10).read()  # noqa: S310 - warm the page (loopback only)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.MULTILINE))
    errors = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|Socket errors:.*?)\s*:?\s*(\d+)", out))
    return Result(label, rps, _ms(latency.get("50", "0ms")), _ms(latency.get("99", "0ms")), errors)


def _ms(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def workers_cpu(base):
    """User+system CPU seconds so far of the gunicorn workers serving `base` (children of its master)."""
    port = base.rsplit(":", 1)[1]
    ticks = os.sysconf("SC_CLK_TCK")
    masters, stats = set(), {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[pid] = fields
        if "gunicorn" in cmdline and f"127.0.0.1:{port}" in cmdline:
            masters.add(pid)
    return sum((int(f[11]) + int(f[12])) / ticks for f in stats.values() if f[1] in masters)
