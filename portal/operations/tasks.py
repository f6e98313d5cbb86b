"""Background tasks of operations (Django's task framework via django-tasks): the scheduled reports.

portal/scheduler.py runs `send_ops_report` with period "daily" every morning, "weekly" on Mondays and
"monthly" on the 1st; each sends the period just closed, once (operations.SentReport remembers it).
`manage.py ops_report --period ... --email` sends one by hand, whenever asked.
"""

from django_tasks import task

from portal.operations import actions, periods


@task()
def send_ops_report(period):
    """period: "daily", "weekly" or "monthly". Returns how many messages were sent (0 if it went out already)."""
    return actions.send_period_report(periods.REPORT_KINDS[period])


@task()
def summarise_search_days():
    """Count yesterday's search log into the daily summary (and recount the day before). Returns days written."""
    return actions.summarise_yesterday()
