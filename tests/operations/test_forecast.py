"""The 14-day forecast per channel (weekday profile) and its back-test error over the last four weeks."""

from datetime import date, timedelta

import pytest

from portal.operations import forecast, sources
from tests.operations.conftest import at

pytestmark = pytest.mark.django_db


def test_a_steady_weekly_shape_is_forecast_exactly_with_zero_error(ask):
    # Eight weeks before Monday 2030-06-03: two questions every Monday, one every other weekday, none at weekends.
    first = date(2030, 4, 8)
    for offset in range(56):
        day = first + timedelta(days=offset)
        for _index in range({0: 2, 5: 0, 6: 0}.get(day.weekday(), 1)):
            ask(at(day.year, day.month, day.day, 10))

    result = forecast.forecast(sources.get("forum"), today=date(2030, 6, 3), horizon=14)

    assert result.days[0] == (date(2030, 6, 4), 1.0)  # Tuesday
    assert result.days[5] == (date(2030, 6, 9), 0.0)  # Sunday
    assert result.days[6] == (date(2030, 6, 10), 2.0)  # Monday
    assert len(result.days) == 14
    assert result.mape == 0.0


def test_back_test_error_is_the_mean_absolute_percentage_error():
    monday = date(2030, 6, 3)
    counts = {monday - timedelta(weeks=week): 10 for week in range(1, 5)}
    counts[monday] = 8  # forecast 10, actual 8: 25 % off

    assert forecast.predict(counts, monday) == 10
    assert forecast.mape(counts, [monday]) == 25.0


def test_without_history_there_is_no_error_figure():
    result = forecast.forecast(sources.get("forum"), today=date(2031, 1, 1))

    assert result.mape is None
    assert all(value == 0.0 for _day, value in result.days)
