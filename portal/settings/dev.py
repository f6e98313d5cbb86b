"""Settings for `make run`: SQLite, the database search fallback, e-mail to the console, tasks inline."""

from .base import *  # noqa: F403
from .base import BASE_DIR, VAR_DIR, sqlite_database

DEBUG = True
SECRET_KEY = "dev-only-not-secret-8f3a1c"  # noqa: S105 - the dev server only; production reads the environment
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
INTERNAL_IPS = ["127.0.0.1"]
DATABASES = {"default": sqlite_database(VAR_DIR / "portal.sqlite3")}
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "service@example-bank.test"
MEDIA_ROOT = VAR_DIR / "media"
PORTAL_PRIVATE_MEDIA_ROOT = VAR_DIR / "private_media"
STATIC_ROOT = BASE_DIR / "static_collected"
# The demo prints sign-in details for staff; requiring MFA enrolment there still holds.
