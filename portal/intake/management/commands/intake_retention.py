"""`manage.py intake_retention --older-than 365d [--dry-run]`: anonymise closed messages and report it.

Contact details, the account link and the picture are removed and card, ID and phone numbers masked in every
text; the message itself stays (kind, category, channel, dates, rating) so the statistics keep their counts.
"""

import re
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.intake import actions
from portal.intake.models import Message, Status

UNITS = {"d": "days", "w": "weeks", "h": "hours"}


def parse_age(value):
    match = re.fullmatch(r"(\d+)([dwh]?)", value.strip())
    if not match:
        raise CommandError("--older-than takes a number of days such as 365d (or weeks: 52w, hours: 24h).")
    return timedelta(**{UNITS[match.group(2) or "d"]: int(match.group(1))})


class Command(BaseCommand):
    help = "Anonymise closed messages older than --older-than (e.g. 365d); --dry-run only reports."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", required=True)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, older_than, dry_run, **options):
        cutoff = timezone.now() - parse_age(older_than)
        due = Message.objects.filter(status=Status.CLOSED, anonymised_at=None, closed_at__lt=cutoff).order_by("pk")
        ids = list(due.values_list("pk", flat=True))
        if dry_run:
            self.stdout.write(f"Would anonymise {len(ids)} closed messages closed before {cutoff:%Y-%m-%d} (dry run).")
            return
        done = 0
        for message in Message.objects.filter(pk__in=ids).iterator():
            actions.anonymise_message(message)
            done += 1
        self.stdout.write(f"Anonymised {done} closed messages closed before {cutoff:%Y-%m-%d}.")
