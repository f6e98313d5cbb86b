"""The dashboard and the reports, assembled from metrics.py as tables (one structure for HTML, CSV and e-mail).

A Table is the one place numbers are laid out: the page renders it (with drill-down links), the CSV export
writes it, the report e-mail attaches it. The number of queries is bounded by the number of channels, not by
the data: per channel one aggregate per period (with its six percentiles on PostgreSQL; six more queries
elsewhere), one grouped query per trend, breakdown and forecast.
"""

import csv
import io
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.operations import charts, forecast, metrics, periods, sources
from portal.operations.models import Metric, Target


@dataclass
class Cell:
    text: str
    url: str = ""


@dataclass
class Table:
    key: str
    title: str
    columns: list
    rows: list = field(default_factory=list)  # lists of Cell
    chart: str = ""
    note: str = ""

    def csv(self):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.columns)
        for row in self.rows:
            # A leading =, +, - or @ would be a formula in a spreadsheet: prefix it (CSV injection).
            writer.writerow([("'" + c.text) if c.text[:1] in "=+-@" and not _number(c.text) else c.text for c in row])
        return out.getvalue()


def _number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def fmt(value, suffix=""):
    if value is None:
        return "—"
    if isinstance(value, float):
        value = f"{value:g}"
    return f"{value}{suffix}"


def item_metrics():
    """The item metrics shown per channel: (key in metrics' values, label, suffix, drill-down filter)."""
    return [
        ("new", _("New items"), "", "new"),
        ("frt_median_hours", _("First response, median (h)"), "", "responded"),
        ("frt_p90_hours", _("First response, 90th percentile (h)"), "", "responded"),
        ("frt_business_median_hours", _("First response in business hours, median (h)"), "", "responded"),
        ("frt_business_p90_hours", _("First response in business hours, 90th percentile (h)"), "", "responded"),
        ("resolution_median_hours", _("Resolution, median (h)"), "", "resolved"),
        ("resolution_p90_hours", _("Resolution, 90th percentile (h)"), "", "resolved"),
        ("sla_met_pct", _("SLA met"), "%", "missed"),
        ("reopen_pct", _("Reopen rate"), "%", "reopened"),
        ("satisfaction_pct", _("Satisfaction"), "%", "rated"),
        ("rating_response_pct", _("Rating response rate"), "%", "rated"),
        ("vip_pct", _("VIP share"), "%", "vip"),
    ]


class Targets:
    """Every target, read once: the most specific one wins (group, then channel, then the whole centre)."""

    def __init__(self):
        self.values = {(t.metric, t.team): t for t in Target.objects.all()}

    def get(self, metric, *teams):
        for team in (*teams, ""):
            if (metric, team) in self.values:
                return self.values[(metric, team)]
        return None


def status(target, actual):
    if target is None or actual is None:
        return ""
    return _("met") if target.is_met(actual) else _("missed")


def drill_url(channel, period, which, group=None, staff=None):
    query = {"channel": channel.key, "period": period.kind, "date": period.first_day.isoformat(), "filter": which}
    if group is not None:
        query["group"] = group
    if staff is not None:
        query["staff"] = staff
    return f"{reverse('operations_items')}?{urlencode(query)}"


def waiting_text(minutes):
    """How long the oldest item has waited, the way a manager reads it: "45 minutes", "3 h 5 min", "55 d 14 h"."""
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    return ngettext("%(minutes)s minute", "%(minutes)s minutes", minutes) % {"minutes": minutes}


def now_panel(now=None):
    now = now or timezone.now()
    rows = []
    for channel in sources.channels():
        queue = channel.queue(now)
        wait = int((now - queue.oldest_opened).total_seconds() // 60) if queue.oldest_opened else None
        text = waiting_text(wait) if wait is not None else ""
        rows.append({"channel": channel, "queue": queue, "waiting_minutes": wait, "waiting_text": text})
    return rows


def now_json(now=None):
    """The live panel as the dashboard's script reads it every few seconds."""
    now = now or timezone.now()
    return {
        "at": timezone.localtime(now, periods.zone()).strftime("%H:%M:%S"),
        "channels": [
            {
                "key": row["channel"].key,
                "waiting": row["queue"].waiting,
                "breached": row["queue"].breached,
                "oldest_title": row["queue"].oldest_title,
                "oldest_url": row["queue"].oldest_url,
                "waiting_minutes": row["waiting_minutes"],
                "waiting_text": row["waiting_text"],
            }
            for row in now_panel(now)
        ],
    }


def _summary_table(period, summaries, previous, targets):
    table = Table(
        "summary",
        _("Service by channel"),
        [_("Channel"), _("Metric"), str(period), _("Previous period"), _("Target value"), _("Status")],
    )
    for channel in sources.channels():
        current, before = summaries[channel.key], previous[channel.key]
        for key, label, suffix, which in item_metrics():
            target = targets.get(key, channel.key)
            table.rows.append(
                [
                    Cell(str(channel.label)),
                    Cell(label),
                    Cell(fmt(current[key], suffix), drill_url(channel, period, which)),
                    Cell(fmt(before[key], suffix), drill_url(channel, period.previous(), which)),
                    Cell(fmt(target.value, suffix) if target else "—"),
                    Cell(status(target, current[key])),
                ]
            )
    return table


def _trend_tables(period, targets, now):
    tables = []
    length = periods.TREND_LENGTH[period.kind]
    for channel in sources.channels():
        rows = metrics.trend(channel, period, length=2 * length, now=now)
        before, now_rows = rows[:length], rows[length:]
        labels = [bucket.label for bucket, _row in now_rows]
        for key, label, bars, suffix in (
            ("new", _("New items"), True, ""),
            ("sla_met_pct", _("SLA met"), False, "%"),
            ("frt_avg_hours", _("First response, average (h)"), False, ""),
            ("satisfaction_pct", _("Satisfaction"), False, "%"),
        ):
            target = targets.get(key, channel.key) if key in Metric.values else None
            values = [row[key] for _bucket, row in now_rows]
            earlier = [row[key] for _bucket, row in before]
            title = f"{channel.label}: {label}"
            table = Table(
                f"trend-{channel.key}-{key}",
                title,
                [_("Period"), label, _("Previous period"), _("Target value")],
                chart=charts.chart(labels, values, earlier, target.value if target else None, bars=bars, title=title),
            )
            for (bucket, _row), value, old in zip(now_rows, values, earlier, strict=True):
                which = "new" if key == "new" else "responded"
                table.rows.append(
                    [
                        Cell(bucket.label),
                        Cell(fmt(value, suffix), drill_url(channel, bucket, which)),
                        Cell(fmt(old, suffix)),
                        Cell(fmt(target.value, suffix) if target else "—"),
                    ]
                )
            tables.append(table)
    return tables


def _breakdown_tables(period, targets, now):
    tables = []
    columns = [_("New items"), _("Answered"), _("SLA met"), _("First response, average (h)")]
    columns += [_("In business hours (h)"), _("Reopen rate"), _("Satisfaction"), _("SLA target")]
    for channel in sources.channels():
        groups = metrics.breakdown(channel, period, "op_group", now=now)
        table = Table(
            f"groups-{channel.key}", f"{channel.label}: {channel.group_label}", [str(channel.group_label), *columns]
        )
        for row in groups:
            target = targets.get("sla_met_pct", f"{channel.key}:{row['op_group']}", channel.key)
            table.rows.append(
                [
                    Cell(str(row["op_group_label"])),
                    *_breakdown_cells(channel, period, row, target, group=row["op_group"]),
                ]
            )
        tables.append(table)
        staff_rows = [row for row in metrics.breakdown(channel, period, "op_staff", now=now) if row["op_staff"]]
        names = dict(
            get_user_model()
            .objects.filter(pk__in=[row["op_staff"] for row in staff_rows])
            .values_list("pk", "display_name")
        )
        table = Table(f"staff-{channel.key}", f"{channel.label}: {_('Staff member')}", [_("Staff member"), *columns])
        for row in staff_rows:
            target = targets.get("sla_met_pct", channel.key)
            table.rows.append(
                [
                    Cell(names.get(row["op_staff"]) or f"#{row['op_staff']}"),
                    *_breakdown_cells(channel, period, row, target, staff=row["op_staff"]),
                ]
            )
        tables.append(table)
    return tables


def _breakdown_cells(channel, period, row, target, group=None, staff=None):
    def link(which):
        return drill_url(channel, period, which, group=group, staff=staff)

    return [
        Cell(fmt(row["new"]), link("new")),
        Cell(fmt(row["responded"]), link("responded")),
        Cell(fmt(row["sla_met_pct"], "%"), link("missed")),
        Cell(fmt(row["frt_avg_hours"])),
        Cell(fmt(row["frt_business_avg_hours"])),
        Cell(fmt(row["reopen_pct"], "%"), link("reopened")),
        Cell(fmt(row["satisfaction_pct"], "%"), link("rated")),
        Cell(fmt(target.value, "%") if target else "—"),
    ]


def _deflection_rows(period, summaries, previous):
    current, before = metrics.deflections(period), metrics.deflections(period.previous())
    sent = summaries.get("messages", {}).get("new", 0)
    sent_before = previous.get("messages", {}).get("new", 0)
    return [
        [
            Cell(_("Deflections from the message form")),
            Cell(fmt(current["deflections"])),
            Cell(fmt(before["deflections"])),
            Cell("—"),
        ],
        [
            Cell(_("Deflected by a KB article")),
            Cell(fmt(current["by_article"])),
            Cell(fmt(before["by_article"])),
            Cell("—"),
        ],
        [
            Cell(_("Deflection rate")),
            Cell(fmt(metrics.deflection_rate(current["deflections"], sent), "%")),
            Cell(fmt(metrics.deflection_rate(before["deflections"], sent_before), "%")),
            Cell("—"),
        ],
    ]


def _kb_table(period, targets, summaries, previous):
    current, before = metrics.kb_summary(period), metrics.kb_summary(period.previous())
    feedback, review = reverse("kb_feedback"), reverse("kb_needs_review")
    target = targets.get(Metric.KB_HELPFUL, "kb")
    table = Table("kb", _("Knowledge base"), [_("Metric"), str(period), _("Previous period"), _("Target value")])
    table.rows = [
        [Cell(_("Votes")), Cell(fmt(current["votes"]), feedback), Cell(fmt(before["votes"])), Cell("—")],
        [
            Cell(_("Helpful")),
            Cell(fmt(current["helpful_pct"], "%"), feedback),
            Cell(fmt(before["helpful_pct"], "%")),
            Cell(fmt(target.value, "%") if target else "—"),
        ],
        [Cell(_("Used on calls")), Cell(fmt(current["used_on_call"])), Cell(fmt(before["used_on_call"])), Cell("—")],
        [Cell(_("Articles past review (now)")), Cell(fmt(current["past_review"]), review), Cell("—"), Cell("—")],
    ]
    table.rows += _deflection_rows(period, summaries, previous)
    table.note = _(
        "Deflection rate: customers who found their answer on the message form, out of those who found it there "
        "or sent a message."
    )
    used = Table("kb-used", _("Articles used most on calls"), [_("Article"), _("Uses")])
    used.rows = [[Cell(row["article__title"]), Cell(fmt(row["uses"]))] for row in metrics.kb_top_used(period)]
    return [table, used]


def _search_tables(period, targets, now):
    report = f"{reverse('portal_search_report')}?period={period.kind}"
    current, before = metrics.search_summary(period, now), metrics.search_summary(period.previous(), now)
    table = Table("search", _("Search"), [_("Metric"), str(period), _("Previous period"), _("Target value")])
    for key, label, suffix, metric in (
        ("searches", _("Searches"), "", None),
        ("zero_pct", _("Zero-result rate"), "%", Metric.SEARCH_ZERO),
        ("click_pct", _("Click-through"), "%", Metric.SEARCH_CLICK),
    ):
        target = targets.get(metric, "search") if metric else None
        table.rows.append(
            [
                Cell(label),
                Cell(fmt(current[key], suffix), report),
                Cell(fmt(before[key], suffix)),
                Cell(fmt(target.value, suffix) if target else "—"),
            ]
        )
    length = periods.TREND_LENGTH[period.kind]
    rows = metrics.search_trend(period, length=2 * length, now=now)
    labels = [bucket.label for bucket, _row in rows[length:]]
    table.chart = charts.chart(
        labels,
        [row["searches"] for _b, row in rows[length:]],
        [row["searches"] for _b, row in rows[:length]],
        title=_("Searches"),
    )
    tables = [table]
    for key, title, failing in (
        ("search-top", _("Top queries"), False),
        ("search-failing", _("Failing queries"), True),
    ):
        each = Table(key, title, [_("Query"), _("Searches"), _("Zero-result rate"), _("Click-through")])
        each.rows = [
            [
                Cell(row["normalised"]),
                Cell(fmt(row["searches"])),
                Cell(fmt(row["zero_pct"], "%")),
                Cell(fmt(row["click_pct"], "%")),
            ]
            for row in metrics.search_queries(period, failing=failing)
        ]
        tables.append(each)
    return tables


def forecast_tables(today=None):
    tables = []
    for channel in sources.channels():
        result = forecast.forecast(channel, today=today)
        table = Table(
            f"forecast-{channel.key}",
            f"{channel.label}: {_('Forecast of new items')}",
            [_("Day"), _("Forecast")],
            note=(
                _("Back-test error over the last 4 weeks (MAPE): %(mape)s%%") % {"mape": fmt(result.mape)}
                if result.mape is not None
                else _("Not enough history for a back-test yet.")
            ),
        )
        table.rows = [[Cell(day.isoformat()), Cell(fmt(value))] for day, value in result.days]
        table.chart = charts.chart(
            [day.strftime("%m-%d") for day, _v in result.days],
            [value for _d, value in result.days],
            title=table.title,
        )
        tables.append(table)
    return tables


@dataclass
class Dashboard:
    period: object
    tables: list

    def table(self, key):
        return next((table for table in self.tables if table.key == key), None)


def dashboard(period, now=None, with_forecast=True):
    now = now or timezone.now()
    targets = Targets()
    summaries = {c.key: metrics.summarise(c, period, now=now).values for c in sources.channels()}
    previous = {c.key: metrics.summarise(c, period.previous(), now=now).values for c in sources.channels()}
    tables = [_summary_table(period, summaries, previous, targets)]
    tables += _trend_tables(period, targets, now)
    tables += _breakdown_tables(period, targets, now)
    tables += _kb_table(period, targets, summaries, previous)
    tables += _search_tables(period, targets, now)
    if with_forecast:
        tables += forecast_tables(periods.local_today(now))
    return Dashboard(period, tables)


# --- Drill-down ---------------------------------------------------------------------------------------------

DRILL_FILTERS = {
    "new": Q(),
    **{name: metrics.ROWS[name] for name in ("responded", "resolved", "reopened", "rated", "vip")},
}


def drill_items(channel, period, which, group=None, staff=None, now=None, limit=200):
    """The items behind a number: (rows, total). `missed` = answered late or still waiting past due."""
    items = metrics.in_period(channel, period)
    if which == "missed":
        now = now or timezone.now()
        items = items.filter(Q(op_first_response__gt=F("op_due")) | Q(op_first_response__isnull=True, op_due__lt=now))
    else:
        items = items.filter(DRILL_FILTERS.get(which, Q()))
    if group is not None:
        items = items.filter(op_group=group)
    if staff is not None:
        items = items.filter(op_staff=staff)
    rows = list(
        items.order_by("op_opened", "pk").values(
            "pk", "op_title", "op_opened", "op_first_response", "op_due", "op_rating", "op_group_label"
        )[:limit]
    )
    urls = channel.item_urls([row["pk"] for row in rows])
    for row in rows:
        row["url"] = urls.get(row["pk"], "")
        row["op_title"] = channel.title_text(row["op_title"])
    return rows, items.count()
