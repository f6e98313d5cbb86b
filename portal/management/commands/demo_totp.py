"""Print the current two-factor code of a demo staff account (demo accounts only)."""

import binascii

from django.core.management.base import BaseCommand, CommandError

from portal.core.demo import DEMO_USERS


class Command(BaseCommand):
    help = "Print the current TOTP code for a demo staff account, e.g. agent@example.test."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

        spec = next((u for u in DEMO_USERS if u.email == email and u.totp_secret), None)
        if spec is None:
            raise CommandError(f"{email} is not a demo staff account.")
        counter = next(yield_hotp_counters_from_time())
        try:
            code = hotp_value(spec.totp_secret, counter)
        except (binascii.Error, ValueError) as exc:
            raise CommandError(f"The demo secret of {email} is not valid base32 ({exc}).") from exc
        self.stdout.write(format_hotp_value(code))
