"""The demo's eight weeks of history give the dashboard meaningful numbers, and building it twice adds nothing."""

import pytest

from forum.models import Thread
from portal.operations import demo, forecast, metrics, periods, sources
from portal.operations.models import Target

pytestmark = pytest.mark.django_db


def test_demo_history_fills_the_dashboard_and_is_built_once(demo_site):
    demo.build(demo_site)
    count = Thread.objects.filter(title__startswith=demo.MARKER).count()
    demo.build(demo_site)

    forum = sources.get("forum")
    last_week = periods.just_closed("week")
    values = metrics.summarise(forum, last_week).values
    assert Thread.objects.filter(title__startswith=demo.MARKER).count() == count
    assert count > 150
    assert values["new"] >= 20
    assert 0 < values["sla_met_pct"] < 100
    assert values["satisfaction_pct"] is not None and values["reopened"] >= 0
    assert forecast.forecast(forum).mape is not None
    assert Target.objects.filter(metric="sla_met_pct", team="forum").get().value == 90
