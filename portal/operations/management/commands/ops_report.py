"""Build (and with --email send) the operations report of the period just closed, or of the one containing --date."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from portal.operations import periods, reports


class Command(BaseCommand):
    help = "Operations report: daily, weekly or monthly, for the period just closed."

    def add_arguments(self, parser):
        parser.add_argument("--period", choices=sorted(periods.REPORT_KINDS), required=True)
        parser.add_argument("--date", help="YYYY-MM-DD: report the period containing this day instead.")
        parser.add_argument("--email", action="store_true", help="E-mail it to the Operations role.")

    def handle(self, *args, **options):
        kind = periods.REPORT_KINDS[options["period"]]
        day = None
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}") from None
        if options["email"]:
            report, sent = reports.send_report(kind, day)
            self.stdout.write(f"{report.period}: sent to {len(reports.recipients())} recipients ({sent} message).")
            return
        report = reports.build_report(kind, day)
        _subject, text, _html = reports.render_report(report)
        self.stdout.write(text)
