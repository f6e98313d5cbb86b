"""Settings for benchmarks: the demo content in the benches' own copy of the demo database (var/bench.sqlite3,
made by bench.harness.bench_database), DEBUG off, served by gunicorn."""

from portal.settings.base import VAR_DIR, sqlite_database
from portal.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
DATABASES = {"default": sqlite_database(VAR_DIR / "bench.sqlite3")}
