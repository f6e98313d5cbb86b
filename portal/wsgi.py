"""WSGI entry point for gunicorn (production) and `make bench`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
application = get_wsgi_application()

# Build what search needs (segmenter, stemmer, vocabulary, connections) in the background now, so the first
# customer to search does not wait for it.
from search import warmup  # noqa: E402 - after Django is set up

warmup.start()
