"""`manage.py intake_digest`: e-mail the on-duty group new complaints and SLA breaches (run every 15 minutes)."""

from django.core.management.base import BaseCommand

from portal.intake.notifications import send_duty_digest


class Command(BaseCommand):
    help = "Send the message desk's duty digest (new complaints, messages past their answer time)."

    def handle(self, *args, **options):
        result = send_duty_digest()
        self.stdout.write(
            f"{result['complaints']} new complaints, {result['breaches']} breaches, sent: {result['sent']}."
        )
