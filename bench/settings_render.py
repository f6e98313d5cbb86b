"""Settings for bench/bench_render.py: bench.settings on the render bench's own copy of the demo database
(var/bench_render.sqlite3, copied afresh each run), which also holds the bench's 20-post thread."""

from bench.settings import *  # noqa: F403
from portal.settings.base import VAR_DIR, sqlite_database

DATABASES = {"default": sqlite_database(VAR_DIR / "bench_render.sqlite3")}
