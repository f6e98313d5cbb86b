"""Next days' incoming volume per channel: a weekday-profile baseline, with its back-test error.

The forecast for a day is the mean volume of the same weekday over the previous four weeks (the centre's
week has a strong shape: weekdays busy, weekends quiet; a seasonal model from statsmodels would add a heavy
dependency for little gain on a few months of history). Its trustworthiness is shown beside it: MAPE (mean
absolute percentage error) of the same method over the last 28 days, each day forecast only from the four
weeks before it. Days with no actual volume are left out of MAPE (a percentage of zero is undefined).
The daily counts come from one grouped query per channel; only those ~60 numbers are handled in Python.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncDay
from django.utils import timezone

from portal.operations import periods

WEEKS = 4
BACKTEST_DAYS = 28


@dataclass
class Forecast:
    channel: object
    days: list  # [(date, predicted volume)]
    mape: object  # percentage, or None without enough history
    history: list  # [(date, actual volume)] over the back-test window


def daily_counts(channel, first, last):
    """{local date: items opened that day} for first..last inclusive (missing days are 0)."""
    zone = periods.zone()
    start = periods.Period("day", first).start
    end = periods.Period("day", last).end
    rows = (
        channel.items()
        .filter(op_opened__gte=start, op_opened__lt=end)
        .annotate(day=TruncDay("op_opened", tzinfo=zone))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    counts = {timezone.localtime(day, zone).date(): n for day, n in rows}
    return {first + timedelta(days=i): counts.get(first + timedelta(days=i), 0) for i in range((last - first).days + 1)}


def predict(counts, day):
    """Mean of the same weekday in the four weeks before `day`, or None without that history."""
    past = [counts.get(day - timedelta(weeks=week)) for week in range(1, WEEKS + 1)]
    if any(value is None for value in past):
        return None
    return sum(past) / WEEKS


def mape(counts, days):
    errors = []
    for day in days:
        actual, predicted = counts.get(day), predict(counts, day)
        if actual and predicted is not None:
            errors.append(abs(actual - predicted) / actual)
    return round(100 * sum(errors) / len(errors), 1) if errors else None


def forecast(channel, today=None, horizon=None):
    """Forecast from tomorrow for `horizon` days, from complete days up to yesterday."""
    today = today or periods.local_today()
    horizon = horizon or settings.PORTAL_OPERATIONS_FORECAST_DAYS
    yesterday = today - timedelta(days=1)
    first = yesterday - timedelta(days=BACKTEST_DAYS + WEEKS * 7 - 1)
    counts = daily_counts(channel, first, yesterday)
    backtest = [yesterday - timedelta(days=i) for i in range(BACKTEST_DAYS - 1, -1, -1)]
    error = mape(counts, backtest)
    # Days ahead use the weekday profile of the last four complete weeks (today is not complete yet).
    profile = {}
    for offset in range(7):
        day = today + timedelta(days=offset)
        past = [counts[day - timedelta(weeks=w)] for w in range(1, WEEKS + 1) if day - timedelta(weeks=w) in counts]
        profile[day.weekday()] = round(sum(past) / len(past), 1) if past else 0.0
    days = [(today + timedelta(days=i), profile[(today + timedelta(days=i)).weekday()]) for i in range(1, horizon + 1)]
    return Forecast(channel, days, error, [(day, counts[day]) for day in backtest])
