"""`manage.py kb_export FILE [--format jsonl|csv] [--locale CODE]`: write KB articles in the import format.

Every live article version, the default language first (so a re-import creates translations in the right
order). The answer is written as HTML in the shapes the import reads back (answer_format "html"), so
exporting and importing again leaves the articles unchanged.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from kb import transfer
from kb.queries import export_rows


class Command(BaseCommand):
    help = "Export knowledge-base articles to JSON Lines or CSV (the kb_import format)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the file to write ('-' writes to standard output)")
        parser.add_argument("--format", choices=transfer.FORMATS, help="default: from the file name (.csv, else jsonl)")
        parser.add_argument("--locale", help="only this language (e.g. en)")

    def handle(self, *args, **options):
        path = options["file"]
        fmt = options["format"] or transfer.guess_format(path)
        rows = export_rows(locale=options["locale"])
        if path == "-":
            count = self._write(self.stdout, rows, fmt)
        else:
            with Path(path).open("w", encoding="utf-8", newline="") as stream:
                count = self._write(stream, rows, fmt)
        self.stderr.write(f"{count} articles written")

    def _write(self, stream, rows, fmt):
        counted = []

        def counting():
            for row in rows:
                counted.append(1)
                yield row

        transfer.write_rows(stream, counting(), fmt)
        return len(counted)
