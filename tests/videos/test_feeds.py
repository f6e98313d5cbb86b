"""iCalendar (Asia/Shanghai, stable UIDs) per series and for all, and RSS per series."""

import pytest
from icalendar import Calendar

from videos.models import EpisodePage

pytestmark = pytest.mark.django_db


def _events(response):
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}, cal


def test_series_calendar_has_beijing_times_stable_uids_and_the_recurring_rule(client, demo_site):
    live = EpisodePage.objects.get(slug="family-finance-live", locale__language_code="zh-hans")
    events, cal = _events(client.get("/videos/meet-the-experts/ical/"))

    uid = f"episode-{live.translation_key}@videos.example-bank.test"
    assert str(cal.walk("VTIMEZONE")[0]["tzid"]) == "Asia/Shanghai"
    assert str(events[uid]["summary"]) == "家庭理财怎么做（直播）"
    assert events[uid]["dtstart"].dt.tzinfo.key == "Asia/Shanghai"
    assert events[uid]["dtstart"].dt == live.air_at
    recurring = [e for key, e in events.items() if key.startswith("series-")]
    assert recurring[0]["rrule"]["FREQ"] == ["MONTHLY"] and recurring[0]["rrule"]["BYDAY"] == ["2WE"]

    live.title = "改名以后"
    live.save_revision().publish()
    again, _cal = _events(client.get("/videos/meet-the-experts/ical/"))
    assert str(again[uid]["summary"]) == "改名以后"  # same UID: calendar apps update the event
    english, _cal = _events(client.get("/en/videos/meet-the-experts/ical/"))
    assert uid in english


def test_calendar_for_all_lists_every_series(client, demo_site):
    events, _cal = _events(client.get("/videos/ical/"))
    titles = {str(e["summary"]) for e in events.values()}

    assert {"家庭理财怎么做（直播）", "第49周：年末汇市", "养老金规划"} <= titles


def test_rss_per_series(client, demo_site):
    response = client.get("/videos/fx-weekly/feed/")
    body = response.content.decode()

    assert response.status_code == 200 and "<rss" in body
    assert "第47周：美元小幅波动" in body and "家庭理财" not in body
