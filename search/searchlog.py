"""The search log off the GET path: searches asked by GET are buffered per process and written in batches.

A GET of the search page, of `/api/search` or of the agent console must not write while the reader waits
(BENCHMARKS.md). `search.actions.queue_search_log` masks the search and adds its row, with a key chosen now
(`SearchQuery.key`, which the click token carries), to this process's buffer. When a request has finished -
its response already sent - the buffer is handed to one background task (`search.tasks.write_search_log`:
the database worker in production, run at once in the demo and tests) if it holds PORTAL_SEARCH_LOG_BATCH
rows or its oldest row is PORTAL_SEARCH_LOG_FLUSH_SECONDS old; whatever is left is handed over when the
process exits. A batch that could not be handed over goes back into the buffer (up to MAX_PENDING rows), and
the write ignores keys already stored (a click may have written its search first), so nothing is lost or
written twice.
"""

import atexit
import logging
import threading
import time

from django.conf import settings

logger = logging.getLogger(__name__)

# A process whose task queue refuses every batch keeps at most this many rows, newest dropped first.
MAX_PENDING = 10_000

_lock = threading.Lock()
_pending = []
_oldest = None  # time.monotonic() of the oldest pending row


def add(row):
    """Buffer one search's row (a JSON-ready dict, as search.actions.search_log_row makes it)."""
    global _oldest
    with _lock:
        if len(_pending) >= MAX_PENDING:
            logger.error("search log buffer full (%s rows): a search was not logged", MAX_PENDING)
            return
        if not _pending:
            _oldest = time.monotonic()
        _pending.append(row)


def pending():
    """How many rows this process holds (for tests and the benchmark)."""
    with _lock:
        return len(_pending)


def flush(force=False):
    """Hand the buffer to the background task when it is due (or always with force). Returns rows handed over."""
    global _oldest
    with _lock:
        if not _pending:
            return 0
        due = len(_pending) >= settings.PORTAL_SEARCH_LOG_BATCH or (
            time.monotonic() - _oldest >= settings.PORTAL_SEARCH_LOG_FLUSH_SECONDS
        )
        if not (force or due):
            return 0
        rows, _pending[:], oldest, _oldest = list(_pending), [], _oldest, None
    if _hand_over(rows):
        return len(rows)
    with _lock:  # keep them for the next try, oldest first
        _pending[:0] = rows[: MAX_PENDING - len(_pending)]
        _oldest = oldest
    return 0


def _hand_over(rows):
    from django_tasks import TaskResultStatus

    from search.tasks import write_search_log

    try:
        result = write_search_log.enqueue(rows)
    except Exception:
        logger.exception("search log: could not queue %s rows; kept for the next try", len(rows))
        return False
    if result.status == TaskResultStatus.FAILED:  # the immediate backend ran it and it failed
        logger.error("search log: writing %s rows failed; kept for the next try", len(rows))
        return False
    return True


def _after_request(sender, **kwargs):
    try:
        flush()
    except Exception:  # the reader has their page; the rows stay buffered
        logger.exception("search log: flush after a request failed")


def _at_exit():
    try:
        flush(force=True)
    except Exception:
        logger.exception("search log: %s rows could not be written at exit", pending())


def connect():
    from django.core.signals import request_finished

    request_finished.connect(_after_request, dispatch_uid="search.searchlog.flush")
    atexit.register(_at_exit)
