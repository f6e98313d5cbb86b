"""kb_export writes the kb_import format; importing an export changes nothing (JSON Lines and CSV)."""

import io
import json

import pytest
from django.core.management import call_command
from wagtail.models import Revision

from kb import actions, transfer
from kb.models import ArticlePage
from tests.kb.conftest import make_articles, new_category, row

pytestmark = pytest.mark.django_db


def _export(*args):
    out = io.StringIO()
    call_command("kb_export", "-", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_export_then_import_changes_nothing(demo_site):
    revisions = Revision.objects.count()
    rows = list(transfer.read_jsonl(io.StringIO(_export())))

    report = actions.import_articles(rows)

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, ArticlePage.objects.filter(live=True).count())
    assert Revision.objects.count() == revisions


def test_csv_export_round_trips_too(demo_site):
    cat = new_category()
    make_articles(
        [
            row(
                slug="csv-a",
                category=cat,
                tags=["基金", "费率"],
                channels=["web"],
                related=["csv-b"],
                review_by="2027-01-31",
            ),
            row(slug="csv-b", category=cat, audience="agents", agent_notes="**先核验身份**"),
        ]
    )
    content = _export("--format", "csv")

    report = actions.import_articles(list(transfer.read_csv(io.StringIO(content))))

    assert report.errors == [] and report.created == 0 and report.updated == 0


def test_exported_rows_carry_every_column(demo_site):
    cat = new_category()
    make_articles(
        [row(slug="full-row", category=cat, related=["register-personal-ebanking"], agent_notes="- 内部提示")]
    )

    exported = [json.loads(line) for line in _export("--locale", "zh-hans").splitlines()]

    mine = next(r for r in exported if r["slug"] == "full-row")
    assert list(mine) == transfer.COLUMNS
    assert mine["category"] == cat
    assert mine["answer_format"] == "html"
    assert mine["related"] == ["register-personal-ebanking"]
    assert mine["agent_notes"] == "<ul>\n<li>内部提示</li>\n</ul>"
    assert {r["locale"] for r in exported} == {"zh-hans"}


def test_export_lists_the_default_language_first(demo_site):
    locales = [json.loads(line)["locale"] for line in _export().splitlines()]

    assert locales == sorted(locales, key=lambda code: code != "zh-hans")
