"""Feeds: iCalendar (one per series and one for all, Asia/Shanghai, stable UIDs) and RSS per series.

A UID names the broadcast (the episode's translation_key), so a calendar app keeps one event however often
the episode is edited, and the Chinese and English feeds describe the same event. A series with a repeating
schedule also gets one recurring event carrying its rule.
"""

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, TimezoneStandard

from portal.core import pagecache
from videos.models import EpisodePage
from videos.models.pages import BEIJING

UID_DOMAIN = "videos.example-bank.test"
FEED_SIZE = 30


def episodes_for_calendar(locale_id, series=None):
    """Broadcasts of the last 30 days and every future one, in one language (one query)."""
    qs = EpisodePage.objects.live().public().filter(locale_id=locale_id, air_at__isnull=False)
    if series is not None:
        qs = qs.child_of(series)
    since = timezone.now() - dt.timedelta(days=30)
    return list(qs.filter(air_at__gte=since).order_by("air_at")[:500])


def _beijing_timezone():
    """VTIMEZONE for Asia/Shanghai (UTC+8, no daylight saving since 1991)."""
    tz = Timezone()
    tz.add("tzid", "Asia/Shanghai")
    standard = TimezoneStandard()
    standard.add("dtstart", dt.datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", dt.timedelta(hours=8))
    standard.add("tzoffsetto", dt.timedelta(hours=8))
    standard.add("tzname", "CST")
    tz.add_component(standard)
    return tz


def build_calendar(episodes, name, request=None, series=None):
    cal = Calendar()
    cal.add("prodid", "-//Example Bank//Service Centre videos//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    cal.add_component(_beijing_timezone())
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    for episode in episodes:
        event = Event()
        event.add("uid", f"episode-{episode.translation_key}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", episode.air_at.astimezone(BEIJING))
        event.add("dtend", episode.ends_at.astimezone(BEIJING))
        event.add("summary", episode.title)
        if episode.summary:
            event.add("description", episode.summary)
        url = episode.get_full_url(request)
        if url:
            event.add("url", url)
        if episode.last_published_at:
            event.add("last-modified", episode.last_published_at.astimezone(dt.UTC).replace(microsecond=0))
        cal.add_component(event)
    if series is not None and series.rrule():
        slots = series.next_slots(count=1)
        if slots:
            event = Event()
            event.add("uid", f"series-{series.translation_key}@{UID_DOMAIN}")
            event.add("dtstamp", stamp)
            event.add("dtstart", slots[0])
            event.add("dtend", slots[0] + dt.timedelta(minutes=series.schedule_minutes))
            event.add("summary", series.title)
            event.add("rrule", series.rrule())
            if series.schedule:
                event.add("description", series.schedule)
            cal.add_component(event)
    return cal


def ical_response(episodes, name, filename, request=None, series=None):
    body = build_calendar(episodes, name, request, series).to_ical()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response


class SeriesFeed(Feed):
    """RSS of a series' published episodes, newest first."""

    feed_type = Rss201rev2Feed

    def get_object(self, request, series):
        pagecache.allow(request)
        self.request = request
        return series

    def title(self, series):
        return _("%(series)s · Example Bank videos") % {"series": series.title}

    def link(self, series):
        return series.get_url(self.request)

    def description(self, series):
        return series.description

    def items(self, series):
        return list(
            EpisodePage.objects.child_of(series).live().public().order_by("-air_at", "-first_published_at")[:FEED_SIZE]
        )

    def item_title(self, episode):
        return episode.title

    def item_description(self, episode):
        return episode.summary

    def item_link(self, episode):
        return episode.get_url(self.request)

    def item_pubdate(self, episode):
        return episode.air_at or episode.first_published_at

    def item_guid(self, episode):
        return f"episode-{episode.translation_key}@{UID_DOMAIN}"

    item_guid_is_permalink = False
