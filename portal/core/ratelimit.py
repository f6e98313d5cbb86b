"""Fixed-window rate limits on the shared cache: `hit(key, limit, window_seconds)` says whether one more is allowed.

The counters live in the default cache (the database cache or Redis in production), so they hold across
workers and hosts. A fixed window is coarse but cheap: one `add` and one `incr` per call.
"""

import time

from django.core.cache import cache


def hit(key, limit, window_seconds):
    """Count one attempt under `key`; True while no more than `limit` attempts fell in this window."""
    window = int(window_seconds)
    bucket = f"ratelimit:{key}:{int(time.time() // window)}"
    cache.add(bucket, 0, timeout=window + 1)
    try:
        count = cache.incr(bucket)
    except ValueError:  # the bucket expired between add and incr
        cache.set(bucket, 1, timeout=window + 1)
        count = 1
    return count <= limit
