"""Jobs of the site itself that the scheduler runs (portal/scheduler.py lists every job of every app)."""

import io

from django.core.management import call_command


def publish_scheduled():
    """Wagtail's scheduled publishing: go-live times that have come, expiry times that have passed.

    Wagtail's own command does it (pages, snippets with draft state, expiry); this only runs it and returns
    what it printed, for the task's result.
    """
    out = io.StringIO()
    call_command("publish_scheduled", stdout=out)
    return out.getvalue().strip()
