"""Warm what the first search needs, in the background, so no customer waits for it.

A fresh process knows nothing yet: the jieba segmenter with the banking and staff dictionaries, the OpenCC
converter, the variant forms and synonyms, the "did you mean" vocabulary (built from every search entry)
and the connections to Elasticsearch. Built by the first search, they made it take seconds. Now the first
request a server process receives starts `warm()` in a daemon thread (search.apps connects it to Django's
request_started), and the spelling vocabulary is never built inside a request (search.spelling).
PORTAL_SEARCH_WARM_IN_BACKGROUND turns this off (tests, where each test reads its own transaction).
"""

import logging
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
    return steps


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
    """Start warming once per process (a request_started receiver; also callable by hand)."""
    if _state["started"]:
        return False
    with _lock:
        if _state["started"]:
            return False
        _state["started"] = True
    request_started.disconnect(start, dispatch_uid="search:warmup")
    threading.Thread(target=_run, name="search-warmup", daemon=True).start()
    return True


def connect():
    if getattr(settings, "PORTAL_SEARCH_WARM_IN_BACKGROUND", False):
        request_started.connect(start, dispatch_uid="search:warmup", weak=False)
