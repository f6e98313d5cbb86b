"""A real gunicorn (2 workers) on a database handed over from a test: for tests that need other processes.

On SQLite the test's in-memory database is copied into a file first; on PostgreSQL the server uses the test
database itself (or another one on the same server). Settings: tests/server_settings.py.
"""

import os
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url(sqlite_file=None, name=None):
    """The URL of the test database (SQLite: the file it was copied to with copy_to_file) or of `name`."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{sqlite_file}"
    settings = connection.settings_dict
    return "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(
        **{
            **settings,
            "HOST": settings["HOST"] or "127.0.0.1",
            "PORT": settings["PORT"] or 5432,
            "NAME": name or settings["NAME"],
        }
    )


def copy_to_file(path):
    """SQLite: the test database as it is now, into the file `path`."""
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()


def read_back(path):
    """SQLite: what a server wrote into the file `path`, back into the test database."""
    from django.contrib.contenttypes.models import ContentType

    served = sqlite3.connect(path)
    served.backup(connection.connection)
    served.close()
    ContentType.objects.clear_cache()


def environment(database, **extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    return {**env, "DJANGO_SETTINGS_MODULE": "tests.server_settings", "PORTAL_TEST_DATABASE_URL": database, **extra}


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=600, capture_output=True, text=True
    )


@contextmanager
def gunicorn(env, log_path):
    """gunicorn with 2 workers and 10 threads each on a free loopback port; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = open(log_path, "w")  # noqa: SIM115 - closed below, after the server stopped
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "portal.wsgi", "-w", "2", "--threads", "10"]
        + ["-b", f"127.0.0.1:{port}", "--timeout", "120"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(base + "/healthz", timeout=60).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass
            assert server.poll() is None and time.monotonic() < deadline, Path(log_path).read_text()
            time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
