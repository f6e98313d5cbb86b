"""WSGI entry point for `make bench` (settings chosen by DJANGO_SETTINGS_MODULE, default bench.settings)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
application = get_wsgi_application()
