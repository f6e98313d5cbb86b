"""`manage.py forum_escalate`: escalate threads far past their first-response target to the supervisors."""

from django.core.management.base import BaseCommand

from forum import actions


class Command(BaseCommand):
    help = "Escalate forum threads past PORTAL_FORUM_SLA_ESCALATE_HOURS after their target to the supervisors."

    def handle(self, *args, **options):
        escalated = actions.escalate_overdue_threads()
        self.stdout.write(f"{len(escalated)} thread(s) escalated.")
