"""bench.settings with database connections kept between requests, as production does (conn_max_age 60).

With bench.settings every request that touches the database opens the SQLite file and runs its WAL pragma;
the trivial view never does, so the Q&A poll is measured both ways (bench/bench_videos.py).
"""

from bench.settings import *  # noqa: F403

DATABASES = {"default": {**DATABASES["default"], "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}}  # noqa: F405
