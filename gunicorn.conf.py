"""gunicorn's settings for the portal, read from the working directory (production and `make bench`).

Each worker loads the application itself, then freezes what loading built (modules, templates, settings,
URL maps: about 250,000 objects) out of the garbage collector's reach: a full collection then walks only what
requests made since, a few milliseconds instead of over 100 ms on the thread page (bench/profile_forum.py)."""

import gc


def post_worker_init(worker):
    gc.freeze()
