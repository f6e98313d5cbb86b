"""Daily, weekly and monthly reports of the period just closed: an HTML e-mail with the charts inline (SVG)
and every table attached as one CSV. `send_report(kind)` is what a scheduler calls; `manage.py ops_report`
calls the same functions."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.core import roles
from portal.operations import periods, queries


def build_report(kind, day=None, now=None):
    """The dashboard of the day, week or month that contains `day` (default: the one just closed)."""
    period = periods.Period.containing(kind, day) if day else periods.just_closed(kind, now)
    return queries.dashboard(period, now=now, with_forecast=True)


def report_csv(report):
    return "\n".join(f"# {table.title}\n{table.csv()}" for table in report.tables)


def recipients():
    """The Operations role's active accounts with an address."""
    users = get_user_model().objects.filter(groups__name=roles.OPERATIONS, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def render_report(report):
    context = {"period": report.period, "summary": report.tables[0], "tables": report.tables[1:]}
    subject = _("Service centre report: %(period)s") % {"period": report.period}
    return (
        subject,
        render_to_string("operations/email/report.txt", context),
        render_to_string("operations/email/report.html", context),
    )


def send_report(kind, day=None, to=None, now=None):
    """Build and e-mail the report for the period (kind: "day", "week" or "month"). Returns (report, sent)."""
    with translation.override(settings.LANGUAGE_CODE):
        report = build_report(kind, day, now=now or timezone.now())
        to = to if to is not None else recipients()
        if not to:
            return report, 0
        subject, text, html = render_report(report)
        message = EmailMultiAlternatives(subject, text, to=to)
        message.attach_alternative(html, "text/html")
        message.attach(f"operations-{report.period.kind}-{report.period.label}.csv", report_csv(report), "text/csv")
        return report, message.send()
