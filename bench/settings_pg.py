"""Settings for the PostgreSQL benchmark (bench_forum): the test settings reading DATABASE_URL, with database
connections kept between requests as production keeps them (portal/settings/production.py)."""

from portal.settings.test import *  # noqa: F403
from portal.settings.test import DATABASES

DEBUG = False
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
