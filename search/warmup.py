"""Warm what the first requests need, so no customer waits for it.

A fresh process knows nothing yet: the URL map (every app's views and Wagtail's, ~1 s to import), the
templates of the pages, each language's translation catalogue, the jieba segmenter with the banking and
staff dictionaries (~1.7 s here), the Snowball stemmer (~0.8 s to import), the OpenCC converter, the
variant forms and synonyms, the "did you mean" vocabulary (built from every search entry) and the
connections to Elasticsearch. Built by the first request, they made it wait seconds.

Now a server process builds what every request needs (`prepare`: URL map, catalogues, templates, segmenter,
stemmer, converter) as it loads the WSGI application (portal/wsgi.py; runserver loads it too), before it
takes a request - gunicorn's worker accepts only once the application is loaded -, and starts `warm()` (the
rest, read from the database and Elasticsearch) in a daemon thread. Without portal.wsgi (a bench's own WSGI
module) both start, in the background, on the process's first request (Django's request_started). The
spelling vocabulary is never built inside a request (search.spelling). A process forked while warming
(gunicorn --preload) starts the background part again in the child.
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


# Templates compiled before the first request: the search page and what every customer page is built from.
TEMPLATES = ("base.html", "includes/seo_links.html", "search/search_page.html", "404.html")


def _timed(steps, name, fn):
    started = time.perf_counter()
    fn()
    steps[name] = round(time.perf_counter() - started, 3)


def _urls_and_catalogues():
    from django.urls import get_resolver, reverse
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - imports the URL map and every view module
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Search")  # loads the language's catalogues
            reverse("search:page")  # the reverse map is built per language (i18n_patterns)


def _templates():
    from django.template.loader import get_template

    for name in TEMPLATES:
        get_template(name)  # compiled into the cached loader


def prepare():
    """What every request needs: URL map, catalogues, templates, the analysers (with the variant forms).

    Runs in the server process as it loads the application, before it takes a request; returns {step: seconds}.
    """
    from search import analysis

    steps = {}
    _timed(steps, "urls", _urls_and_catalogues)
    _timed(steps, "templates", _templates)
    _timed(steps, "segmenter", analysis.tokenizer)
    _timed(steps, "analysis", lambda: analysis.analyse("網上銀行轉帳限額 online banking transfers"))
    return steps


def _prepare_before_serving():
    from django.db import connections

    try:
        logger.info("search: prepared in this process before serving %s", prepare())
    except Exception:  # only costs time: the first requests build what they need
        logger.exception("search: preparing failed")
    finally:
        connections.close_all()  # the variant forms' read: no connection survives into a fork (gunicorn --preload)


def warm():
    """Build everything a search uses (what `prepare` built is kept); returns {step: seconds}."""
    from search import client as es
    from search import spelling, synonyms

    steps = prepare()

    def step(name, fn):
        _timed(steps, name, fn)

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


def start(prepare_now=True):
    """Start warming once per process: at WSGI load `prepare` first, in this thread, then the rest in the
    background (prepare_now=False: all of it in the background, as on a first request)."""
    if _state["started"] or not getattr(settings, "PORTAL_SEARCH_WARM_IN_BACKGROUND", False):
        return False
    with _lock:
        if _state["started"]:
            return False
        _state["started"] = True
    request_started.disconnect(_on_first_request, dispatch_uid="search:warmup")
    if prepare_now:
        _prepare_before_serving()
    threading.Thread(target=_run, name="search-warmup", daemon=True).start()
    return True


def _on_first_request(**_kwargs):
    start(prepare_now=False)


def _after_fork_in_child():
    """A fork while the warm-up thread ran leaves its locks held and its work half done: start afresh."""
    if _state["started"] and _state["seconds"] is None:
        from search import analysis, spelling

        analysis._lock = threading.RLock()
        spelling._lock = threading.Lock()
        spelling._state["building"] = False
        _state["started"] = False
        connect()  # the child's first request starts it again


os.register_at_fork(after_in_child=_after_fork_in_child)


def connect():
    if getattr(settings, "PORTAL_SEARCH_WARM_IN_BACKGROUND", False):
        request_started.connect(_on_first_request, dispatch_uid="search:warmup", weak=False)
