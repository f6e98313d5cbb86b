"""A server process builds what every request needs before it takes one (search.warmup); the rest warms behind."""

import time

import pytest
from django.db import connections

from search import warmup

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_process(settings, monkeypatch):
    """A process that has not warmed yet, with the background thread's work recorded instead of run."""
    settings.PORTAL_SEARCH_WARM_IN_BACKGROUND = True
    calls = []
    monkeypatch.setattr(warmup, "_state", {"started": False, "seconds": None})
    monkeypatch.setattr(warmup, "_run", lambda: calls.append("background"))
    monkeypatch.setattr(warmup, "prepare", lambda: calls.append("prepare") or {})
    monkeypatch.setattr(connections, "close_all", lambda: None)  # the test's own transaction stays open
    return calls


def test_prepare_builds_the_url_map_templates_and_analysers():
    steps = warmup.prepare()

    assert list(steps) == ["urls", "templates", "segmenter", "analysis"]


def test_loading_the_application_prepares_before_serving_then_warms_in_the_background(fresh_process):
    assert warmup.start() is True
    deadline = time.monotonic() + 5
    while "background" not in fresh_process and time.monotonic() < deadline:
        time.sleep(0.01)

    assert fresh_process == ["prepare", "background"]
    assert warmup.start() is False  # once per process


def test_a_first_request_without_the_wsgi_module_warms_everything_in_the_background(fresh_process):
    warmup._on_first_request()
    deadline = time.monotonic() + 5
    while not fresh_process and time.monotonic() < deadline:
        time.sleep(0.01)

    assert fresh_process == ["background"]


def test_nothing_warms_when_turned_off(fresh_process, settings):
    settings.PORTAL_SEARCH_WARM_IN_BACKGROUND = False

    assert warmup.start() is False
    assert fresh_process == []
