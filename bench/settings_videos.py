"""Settings for bench/bench_videos.py: bench.settings on the video bench's own copy of the demo database
(var/bench_videos.sqlite3, copied afresh each run, where its 200 questions go, not into the demo people sign in
to). Connections are kept between requests as production keeps them (conn_max_age 60), unless
BENCH_CONN_MAX_AGE=0: then every request that touches the database opens the SQLite file and runs its WAL
pragma (the trivial view never does), so the Q&A poll is measured both ways.
"""

import os

from bench.settings import *  # noqa: F403
from portal.settings.base import VAR_DIR, sqlite_database

DATABASES = {
    "default": {
        **sqlite_database(VAR_DIR / "bench_videos.sqlite3"),
        "CONN_MAX_AGE": int(os.environ.get("BENCH_CONN_MAX_AGE", "60")),
        "CONN_HEALTH_CHECKS": True,
    }
}
