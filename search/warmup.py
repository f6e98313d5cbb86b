"""Warm what the first search needs, in the background, so no customer waits for it.

A fresh process knows nothing yet: the jieba segmenter with the banking and staff dictionaries (~1.7 s
here), the Snowball stemmer (~0.8 s to import), the OpenCC converter, the variant forms and synonyms, the
"did you mean" vocabulary (built from every search entry) and the connections to Elasticsearch. Built by
the first search, they made it take seconds. Now a server process starts `warm()` in a daemon thread as
it loads the WSGI application (portal/wsgi.py; runserver loads it too), or at the latest on its first
request (Django's request_started), and the spelling vocabulary is never built inside a request
(search.spelling). A process forked while warming (gunicorn --preload) starts again in the child.
PORTAL_SEARCH_WARM_IN_BACKGROUND turns all this off (tests, where each test reads its own transaction).
"""

import logging
import os
import threading
import time

from django.conf import settings
from django.core.signals import request_started

logger = logging.getLogger(__name__)

_state = {"started": False, "seconds": None}
_lock = threading.Lock()


def warm():
    """Build everything a search uses; returns {step: seconds}."""
    from search import analysis, spelling, synonyms
    from search import client as es

    steps = {}

    def step(name, fn):
        started = time.perf_counter()
        fn()
        steps[name] = round(time.perf_counter() - started, 3)

    step("segmenter", analysis.tokenizer)
    step("analysis", lambda: analysis.analyse("網上銀行轉帳限額 online banking transfers"))
    step("synonyms", synonyms.groups)
    step("spelling", lambda: spelling.vocabulary(wait=True))
    if es.is_configured():
        step("elasticsearch", es.ping)
    # One real search and suggestion, read only (nothing is logged): the rest of the imports, the kinds, the
    # backend's statements and connections.
    step("search", _sample_search)
    return steps


def _sample_search():
    from search import queries

    queries.search(queries.SearchRequest("网银转账 online banking", frozenset({"public"}), locale="zh-hans"))
    queries.suggest("网银", frozenset({"public"}), locale="zh-hans")


def _run():
    from django.db import connection

    started = time.perf_counter()
    try:
        steps = warm()
        _state["seconds"] = round(time.perf_counter() - started, 3)
        logger.info("search: warmed in %.2f s %s", _state["seconds"], steps)
    except Exception:  # a cold start only costs time: the first searches build what they need
        logger.exception("search: warming up failed")
    finally:
        connection.close()  # this thread's own connection


def start(**_kwargs):
    """Start warming once per process (at WSGI load, as a request_started receiver, or by hand)."""
    if _state["started"] or not getattr(settings, "PORTAL_SEARCH_WARM_IN_BACKGROUND", False):
        return False
    with _lock:
        if _state["started"]:
            return False
        _state["started"] = True
    request_started.disconnect(start, dispatch_uid="search:warmup")
    threading.Thread(target=_run, name="search-warmup", daemon=True).start()
    return True


def _after_fork_in_child():
    """A fork while the warm-up thread ran leaves its locks held and its work half done: start afresh."""
    if _state["started"] and _state["seconds"] is None:
        from search import analysis, spelling

        analysis._lock = threading.RLock()
        spelling._lock = threading.Lock()
        spelling._state["building"] = False
        _state["started"] = False


os.register_at_fork(after_in_child=_after_fork_in_child)


def connect():
    if getattr(settings, "PORTAL_SEARCH_WARM_IN_BACKGROUND", False):
        request_started.connect(start, dispatch_uid="search:warmup", weak=False)
