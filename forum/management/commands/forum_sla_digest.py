"""`manage.py forum_sla_digest`: e-mail each moderator the threads past their first-response target."""

from django.core.management.base import BaseCommand

from forum.notifications import send_sla_digest


class Command(BaseCommand):
    help = "E-mail moderators a digest of forum threads past their first-response target."

    def handle(self, *args, **options):
        sent = send_sla_digest()
        self.stdout.write(f"SLA digest sent to {sent} moderator(s).")
