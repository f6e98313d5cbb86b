"""`manage.py kb_import FILE [--dry-run] [--format jsonl|csv]`: bulk import of KB articles.

The format is described in kb/transfer.py (kb/demo_data/articles.jsonl is an example). Good rows land, bad
rows are listed with their line numbers and skipped; each row is its own transaction (new articles: each batch
of 200, imported again row by row if it fails). With --dry-run the
whole import runs inside a transaction that is rolled back: the report is exact and nothing is written.
Exit status: 0 when every row went in, 1 when some rows were rejected, 2 when the file cannot be read.
"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kb import actions, transfer


class Command(BaseCommand):
    help = "Import knowledge-base articles from a JSON Lines or CSV file (created or updated by slug and locale)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the .jsonl or .csv file ('-' reads standard input)")
        parser.add_argument("--format", choices=transfer.FORMATS, help="default: from the file name (.csv, else jsonl)")
        parser.add_argument("--dry-run", action="store_true", help="check everything and report, but save nothing")
        parser.add_argument("--user", help="e-mail of the account the revisions are recorded for")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        path = options["file"]
        fmt = options["format"] or transfer.guess_format(path)
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(email__iexact=options["user"]).first()
            if user is None:
                raise CommandError(f"no account with the e-mail {options['user']}")
        if path == "-":
            lines = sys.stdin.read().splitlines(keepends=True)
        else:
            try:
                with Path(path).open(encoding="utf-8-sig", newline="") as stream:
                    lines = stream.read().splitlines(keepends=True)
            except (OSError, UnicodeDecodeError) as exc:
                self.stderr.write(f"cannot read {path}: {exc}")
                sys.exit(2)
        total = sum(1 for line in lines if line.strip()) - (1 if fmt == "csv" else 0)
        bar = tqdm(total=max(total, 0), unit="row", disable=options["no_progress"], file=self.stderr, leave=False)
        report = actions.import_articles(
            transfer.read_rows(lines, fmt), dry_run=options["dry_run"], user=user, progress=lambda: bar.update(1)
        )
        bar.close()
        for issue in report.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {issue}"))
        for issue in report.errors:
            self.stdout.write(self.style.ERROR(f"error: {issue}"))
        self.stdout.write(self.style.SUCCESS(report.summary()) if not report.errors else report.summary())
        if report.errors:
            sys.exit(1)
