"""Build (or refresh) the demo service centre; safe to run again and again."""

from django.core.management.base import BaseCommand

from portal.demo import DEMO_USERS, build_demo


class Command(BaseCommand):
    help = "Create the Example Bank demo content in Chinese and English (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-users", action="store_true", help="Do not print the demo sign-in details.")

    def handle(self, *args, quiet_users=False, **options):
        build_demo(history=True)
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
        if quiet_users:
            return
        self.stdout.write("\nDemo sign-in (demo only; staff use two-factor codes from `make totp EMAIL=...`):")
        for user in DEMO_USERS:
            role = "superuser" if user.superuser else (user.role or "customer")
            self.stdout.write(f"  {role:<14} {user.email:<28} {user.password}")
