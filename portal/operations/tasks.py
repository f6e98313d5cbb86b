"""Background tasks of operations (Django's task framework via django-tasks): the scheduled reports.

Schedule `send_ops_report` with period "daily" every morning, "weekly" on Mondays and "monthly" on the 1st
(or run `manage.py ops_report --period ... --email` from cron); each sends the period just closed.
"""

from django_tasks import task

from portal.operations import periods, reports


@task()
def send_ops_report(period):
    """period: "daily", "weekly" or "monthly". Returns how many messages were sent."""
    _report, sent = reports.send_report(periods.REPORT_KINDS[period])
    return sent
