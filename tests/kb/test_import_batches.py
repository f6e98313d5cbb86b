"""Batched import: new articles written a batch at a time come out exactly as the row-by-row path makes them
(fields, address, place in the tree, revision, history, tags, related links, references, search), the
report is the same line for line, and a batch that fails is imported again row by row."""

import json
import re

import pytest
from django.utils import translation
from wagtail.models import PageLogEntry, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backend

from kb import actions
from kb.models import ArticlePage, CategoryPage
from tests.kb.conftest import row

pytestmark = pytest.mark.django_db


def _rows(prefix, owner_email):
    """One file: a new category, translations, links back and forward, a bad row, a clash, an update."""
    cat = f"{prefix}-cat"

    def slug(name):
        return f"{prefix}-{name}"

    rows = [
        row(slug=slug("first"), category=cat, title=f"{prefix} zebraword first", related=[slug("third")]),
        row(slug=slug("second"), category=cat, tags=["转账", "限额"], related=[slug("first"), slug("missing")]),
        row(slug=slug("third"), category=cat, audience="agents", agent_notes="**先核验身份**", owner=owner_email),
        row(slug=slug("first"), category=cat, locale="en", title=f"{prefix} English first", related=[slug("third")]),
        row(slug=slug("bad"), category=cat, channels=["fax"]),
        row(slug=slug("fourth"), category=cat, review_by="2027-01-31", tags=["基金"], related=[slug("fifth")]),
        row(slug=slug("fifth"), category=cat, tags=["基金", "费率"], related=[slug("fourth"), slug("first")]),
        row(slug=slug("cat"), category=cat),  # the slug of its own category, among its siblings: refused
        row(slug=slug("second"), category=cat, title=f"{prefix} second, changed"),  # an update of line 2
        row(slug=slug("sixth"), category=cat, related=[slug("second")]),
    ]
    for n, data in enumerate(rows):
        data["title"] = data["title"] if data["title"].startswith(prefix) else f"{prefix} question {n}"
    rows.insert(
        7, row(slug=slug("inner"), category=f"{cat}/{slug('cat')}", title=f"{prefix} inner")
    )  # a sub-category named like line 9
    return rows


def _import(prefix, user, batch_size):
    with translation.override("en"):
        report = actions.import_articles(
            list(enumerate(_rows(prefix, user.email), start=1)), user=user, batch_size=batch_size
        )
        lines = [str(issue).replace(prefix, "P") for issue in report.errors + report.warnings]
    return (report.created, report.updated, report.unchanged), lines


def _plain(value, prefix, slugs):
    """A revision's or page's data as an editor sees it: ids of this import's pages become slugs, ids and
    times (which differ between any two imports) are left out."""
    if isinstance(value, dict):
        return {
            key: slugs.get(item, item) if key == "target" else _plain(item, prefix, slugs)
            for key, item in value.items()
            if key not in {"pk", "id", "path", "translation_key", "content_object", "page", "numchild"}
            and not key.endswith(("_at", "revision"))
        }
    if isinstance(value, list):
        return [_plain(item, prefix, slugs) for item in value]
    if isinstance(value, str):
        if value.startswith("[{"):
            return _plain(json.loads(value), prefix, slugs)
        return value.replace(prefix, "P")
    return value


def _seen(prefix):
    """What editors, agents and readers see of the articles this prefix's import made."""
    pages = list(ArticlePage.objects.filter(slug__startswith=prefix).select_related("locale").order_by("path"))
    slugs = {page.pk: page.slug.replace(prefix, "P") for page in pages}
    seen = []
    search = get_search_backend()
    for page in pages:
        revisions = list(
            Revision.objects.filter(object_id=str(page.pk), base_content_type__model="page").order_by("pk")
        )
        history = PageLogEntry.objects.filter(page=page).order_by("timestamp", "id")
        references = ReferenceIndex.objects.filter(object_id=str(page.pk), base_content_type__model="page")
        seen.append(
            {
                "page": _plain(page.serializable_data(), prefix, slugs),
                "url": page.url_path.replace(prefix, "P"),
                "place": (page.depth, page.path[-4:], page.get_parent().numchild),
                "locale": page.locale.language_code,
                "translations": sorted(t.locale.language_code for t in page.get_translations(inclusive=True)),
                "live": (page.live, page.has_unpublished_changes, page.live_revision_id == page.latest_revision_id),
                "published": page.first_published_at is not None and page.last_published_at is not None,
                "revisions": [_plain(r.content, prefix, slugs) for r in revisions],
                "revision_user": [r.user_id for r in revisions],
                "history": [(e.action, e.user_id, e.revision_id is not None, e.content_changed) for e in history],
                "tags": page.tag_names(),
                "related": [slugs.get(link.target_id, link.target_id) for link in page.related_links.all()],
                "references": sorted(
                    (
                        r.model_path,
                        re.sub(r"\.\d+\.", ".N.", r.content_path),
                        slugs.get(int(r.to_object_id))
                        if r.to_content_type.model in ("page", "articlepage")
                        else r.to_object_id,
                    )
                    for r in references
                ),
                "found": [hit.pk for hit in search.search(page.title, ArticlePage)].count(page.pk),
            }
        )
    return seen


def _differences(left, right, where=""):
    """Where two snapshots differ (for the failure message)."""
    if isinstance(left, dict) and isinstance(right, dict):
        keys = list(dict.fromkeys([*left, *right]))
        return [d for key in keys for d in _differences(left.get(key), right.get(key), f"{where}.{key}")]
    if isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
        return [
            d for n, (a, b) in enumerate(zip(left, right, strict=True)) for d in _differences(a, b, f"{where}[{n}]")
        ]
    return [] if left == right else [f"{where}: {str(left)[:80]} != {str(right)[:80]}"]


def test_a_batched_import_makes_exactly_what_the_row_by_row_one_makes(demo_site, admin_user):
    one_by_one = _import("rowwise", admin_user, batch_size=1)
    batched = _import("batched", admin_user, batch_size=actions.BATCH_SIZE)

    assert batched == one_by_one
    assert batched[0] == (8, 1, 0)
    assert batched[1] == [
        "line 5: channel “fax” is not one of: web, mobile, phone, counter",
        "line 9: slug: The slug 'P-cat' is already in use within the parent page at '/faq/P-cat/'.",
        "line 1: created category “P-cat” in zh-hans",
        "line 2: related article “P-missing” was not found",
        "line 4: created category “P-cat” in en",
        "line 8: created category “P-cat/P-cat” in zh-hans",
    ], batched[1]
    batched_seen, rowwise_seen = _seen("batched"), _seen("rowwise")
    assert batched_seen == rowwise_seen, _differences(batched_seen, rowwise_seen)[:8]
    trees = {
        prefix: [
            (category.url_path.replace(prefix, "P"), category.numchild, category.get_children().count())
            for category in CategoryPage.objects.filter(slug=f"{prefix}-cat").order_by("url_path")
        ]
        for prefix in ("batched", "rowwise")
    }
    assert trees["batched"] == trees["rowwise"]
    assert sorted((numchild, children) for _url, numchild, children in trees["batched"]) == [(1, 1), (1, 1), (7, 7)]


def test_a_batch_that_fails_is_imported_again_row_by_row(demo_site, admin_user, monkeypatch):
    real = actions.index_references
    calls = []

    def fails_once(pages):
        calls.append(len(pages))
        if len(calls) == 1:
            raise RuntimeError("disk full")
        return real(pages)

    monkeypatch.setattr(actions, "index_references", fails_once)
    batched = _import("retried", admin_user, batch_size=actions.BATCH_SIZE)
    monkeypatch.setattr(actions, "index_references", real)
    one_by_one = _import("rowwise", admin_user, batch_size=1)

    assert calls and batched == one_by_one
    retried_seen, rowwise_seen = _seen("retried"), _seen("rowwise")
    assert retried_seen == rowwise_seen, _differences(retried_seen, rowwise_seen)[:8]


def test_an_importer_who_may_not_publish_gets_the_same_refusals_batched(demo_site, editor):
    rows = [row(slug=f"{way}-denied", category="personal-ebanking/transfers") for way in ("one", "many")]

    with translation.override("zh-hans"):
        reports = [
            actions.import_articles([(1, data)], user=editor, batch_size=size)
            for data, size in zip(rows, (1, 200), strict=True)
        ]

    assert [[str(issue) for issue in report.errors] for report in reports] == [
        ["第 1 行：意外错误：You do not have permission to publish this page."]
    ] * 2
    assert not ArticlePage.objects.filter(slug__endswith="-denied").exists()


def test_a_batched_dry_run_writes_nothing(demo_site, editor):
    counts = (ArticlePage.objects.count(), Revision.objects.count(), PageLogEntry.objects.count())

    with translation.override("en"):
        report = actions.import_articles(list(enumerate(_rows("dry", editor.email), start=1)), dry_run=True)

    assert (report.created, report.updated, len(report.errors)) == (8, 1, 2)
    assert (ArticlePage.objects.count(), Revision.objects.count(), PageLogEntry.objects.count()) == counts
