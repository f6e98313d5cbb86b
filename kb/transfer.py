"""The KB exchange format, read by `kb_import` and written by `kb_export`: JSON Lines or CSV, one article
version (slug + locale) per line or row. kb/demo_data/articles.jsonl is a file in this format.

Columns (CSV header / JSON keys):

    slug           required; with locale, the article's identity (created or updated by it)
    locale         required; zh-hans or en. Versions sharing a slug are translations of each other
    category       required; category path below the KB index, e.g. "personal-ebanking/transfers"
                   (missing categories are created). Alias: category_path
    title          required; the question. Alias: question
    short_answer   required; plain text an agent can read aloud
    answer         required; Markdown (default) or HTML, sanitised with the site's allow-list
    answer_format  optional; markdown, html or auto (auto: HTML when it starts with a block tag)
    tags           list; CSV: separated by "|"
    channels       list of web, mobile, phone, counter; CSV: separated by "|"
    audience       public (default) or agents
    agent_notes    Markdown or HTML, agents only
    related        list of slugs of related articles (same language first, else any)
    owner          e-mail of the owning editor
    review_by      date, YYYY-MM-DD

Reading never raises on a bad line: it yields (line number, row dict or the error) so the import can
report every bad line and carry on.
"""

import csv
import json

COLUMNS = [
    "slug",
    "locale",
    "category",
    "title",
    "short_answer",
    "answer",
    "answer_format",
    "tags",
    "channels",
    "audience",
    "agent_notes",
    "related",
    "owner",
    "review_by",
]
LIST_COLUMNS = ("tags", "channels", "related")
ALIASES = {"question": "title", "category_path": "category"}
CSV_LIST_SEPARATOR = "|"
FORMATS = ("jsonl", "csv")


class RowFormatError(ValueError):
    pass


def guess_format(path):
    return "csv" if str(path).lower().endswith(".csv") else "jsonl"


def _normalise_keys(row):
    out = {}
    for key, value in row.items():
        if key is None:  # csv.DictReader's bucket for surplus cells
            raise RowFormatError("the row has more cells than the header has columns")
        key = key.strip().lower()
        out[ALIASES.get(key, key)] = value
    return out


def read_jsonl(stream):
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, RowFormatError(f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(row, dict):
            yield number, RowFormatError("each line must be a JSON object")
            continue
        yield number, _normalise_keys(row)


def read_csv(stream):
    reader = csv.DictReader(stream)
    line = 1  # the header
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            try:
                row = _normalise_keys(row)
            except RowFormatError as exc:
                yield start, exc
                continue
            for key in LIST_COLUMNS:
                if isinstance(row.get(key), str):
                    row[key] = [part.strip() for part in row[key].split(CSV_LIST_SEPARATOR) if part.strip()]
            yield start, row
    except csv.Error as exc:
        yield line + 1, RowFormatError(f"not valid CSV ({exc})")


def read_rows(stream, fmt):
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    return read_csv(stream) if fmt == "csv" else read_jsonl(stream)


def write_rows(stream, rows, fmt, header=True):
    """Write rows in the format; `header=False` continues a CSV written in pieces."""
    if fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=COLUMNS, extrasaction="ignore")
        if header:
            writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    key: CSV_LIST_SEPARATOR.join(value) if key in LIST_COLUMNS else (value or "")
                    for key, value in row.items()
                }
            )
    else:
        for row in rows:
            stream.write(json.dumps({key: row.get(key) for key in COLUMNS}, ensure_ascii=False) + "\n")
