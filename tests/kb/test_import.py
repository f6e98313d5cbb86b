"""kb_import: good rows land, bad rows are reported with their line numbers, dry runs write nothing,
re-imports change nothing, imported HTML is sanitised, and a broken row never leaves half an article."""

import io
import json
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.utils import translation
from wagtail.models import Page, Revision

from kb import actions, transfer
from kb.models import ArticlePage, CategoryPage
from portal.core.sanitize import ALLOWED_TAGS
from tests.kb.conftest import blns, make_articles, new_category, row, xss_vectors

pytestmark = pytest.mark.django_db


def _jsonl(rows):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def _run(tmp_path, content, *args, name="articles.jsonl"):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with translation.override("en"):
        try:
            call_command("kb_import", str(path), "--no-progress", *args, stdout=out, stderr=err)
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue()


def test_good_rows_land_and_bad_rows_are_reported_by_line(tmp_path, demo_site):
    cat = new_category()
    lines = [
        json.dumps(row(slug="good-one", category=cat), ensure_ascii=False),
        "{not json",
        json.dumps(row(slug="bad locale", category=cat), ensure_ascii=False),
        "",
        json.dumps(row(slug="good-two", category=cat, locale="fr"), ensure_ascii=False),
        json.dumps(row(slug="good-three", category=cat, channels=["fax"]), ensure_ascii=False),
        json.dumps(row(slug="good-four", category=cat, title="<b></b>"), ensure_ascii=False),
        json.dumps({"slug": "half", "locale": "zh-hans"}),
        json.dumps(row(slug="good-five", category=cat), ensure_ascii=False),
    ]

    code, out = _run(tmp_path, "\n".join(lines) + "\n")

    assert code == 1
    assert "error: line 2: not valid JSON (Expecting property name enclosed in double quotes at column 2)" in out
    assert "error: line 3: slug “bad locale” is not valid: use letters, numbers, hyphens or underscores" in out
    assert "error: line 5: locale “fr” is not one of: zh-hans, en" in out
    assert "error: line 6: channel “fax” is not one of: web, mobile, phone, counter" in out
    assert "error: line 7: title is empty once markup is removed" in out
    assert "error: line 8: missing required column(s): category, title, short_answer, answer" in out
    assert "2 created, 0 updated, 0 unchanged, 6 rejected" in out
    assert set(ArticlePage.objects.filter(slug__startswith="good-").values_list("slug", flat=True)) == {
        "good-one",
        "good-five",
    }


def test_csv_with_the_same_columns_imports_and_reports_line_numbers(tmp_path, demo_site):
    cat = new_category()
    out = io.StringIO()
    rows = [
        row(slug="csv-one", category=cat, tags=["转账", "限额"], channels=["web", "phone"]),
        row(slug="csv-two", category=cat, audience="staff"),
    ]
    transfer.write_rows(out, rows, "csv")
    code, report = _run(tmp_path, out.getvalue(), name="articles.csv")

    assert code == 1
    # Line numbers are physical lines: the first record's Markdown answer spans several of them.
    second_record_line = 2 + rows[0]["answer"].count("\n") + 1
    assert second_record_line == 8
    assert f"error: line {second_record_line}: audience “staff” is not one of: public, agents" in report
    article = ArticlePage.objects.get(slug="csv-one")
    assert sorted(article.tag_names()) == ["转账", "限额"]
    assert article.channels == ["web", "phone"]


def test_dry_run_reports_but_writes_nothing(tmp_path, demo_site):
    cat = new_category()
    pages, revisions = Page.objects.count(), Revision.objects.count()

    code, out = _run(
        tmp_path, _jsonl([row(slug="dry-one", category=cat), row(slug="dry-two", category=cat)]), "--dry-run"
    )

    assert code == 0
    assert "2 created, 0 updated, 0 unchanged, 0 rejected (dry run: nothing was saved)" in out
    assert f"warning: line 1: created category “{cat}” in zh-hans" in out
    assert (Page.objects.count(), Revision.objects.count()) == (pages, revisions)


def test_importing_the_same_file_again_changes_nothing(tmp_path, demo_site):
    cat = new_category()
    content = _jsonl([row(slug="again-one", category=cat, related=["again-two"]), row(slug="again-two", category=cat)])
    _run(tmp_path, content)
    revisions = Revision.objects.count()

    code, out = _run(tmp_path, content)

    assert code == 0
    assert "0 created, 0 updated, 2 unchanged, 0 rejected" in out
    assert Revision.objects.count() == revisions


def test_changed_rows_update_the_article_with_a_new_revision(tmp_path, demo_site):
    cat = new_category()
    make_articles([row(slug="to-update", category=cat, title="旧问题")])
    article = ArticlePage.objects.get(slug="to-update")
    before = article.revisions.count()

    make_articles([row(slug="to-update", category=cat, title="新问题", audience="agents")])

    article.refresh_from_db()
    assert (article.title, article.audience) == ("新问题", "agents")
    assert article.revisions.count() == before + 1
    assert article.live and not article.has_unpublished_changes


def test_related_articles_resolve_whatever_the_order_in_the_file(demo_site):
    cat = new_category()
    make_articles(
        [
            row(slug="rel-a", category=cat, related=["rel-b", "rel-c"]),
            row(slug="rel-b", category=cat, related=["rel-a"]),
            row(slug="rel-c", category=cat),
        ]
    )

    a = ArticlePage.objects.get(slug="rel-a")
    assert [link.target.slug for link in a.related_links.all()] == ["rel-b", "rel-c"]
    assert a.revisions.count() == 1  # completed in place: no second revision for the forward links
    assert a.live_revision.as_object().related_links.count() == 2


def test_english_version_becomes_the_translation_of_the_chinese_one(demo_site):
    make_articles(
        [
            row(slug="twin", category="personal-ebanking/transfers", locale="zh-hans", title="中文问题"),
            row(slug="twin", category="personal-ebanking/transfers", locale="en", title="English question"),
        ]
    )

    zh = ArticlePage.objects.get(slug="twin", locale__language_code="zh-hans")
    en = ArticlePage.objects.get(slug="twin", locale__language_code="en")
    assert zh.translation_key == en.translation_key
    assert en.get_parent().specific.get_translation(zh.locale).pk == zh.get_parent().pk


def test_missing_categories_are_created_from_the_path(demo_site):
    report = make_articles([row(slug="deep", category="brand-new/deeper")])

    parent = ArticlePage.objects.get(slug="deep").get_parent().specific
    assert isinstance(parent, CategoryPage) and parent.slug == "deeper"
    assert parent.get_parent().slug == "brand-new"
    assert [issue.line for issue in report.warnings] == [1, 1]


def test_a_row_that_fails_while_saving_leaves_nothing_behind(demo_site, monkeypatch):
    pages = Page.objects.count()
    real_publish = actions._publish

    def failing_publish(page, user):
        if getattr(page, "slug", "") == "explodes":
            raise RuntimeError("disk full")
        return real_publish(page, user)

    monkeypatch.setattr(actions, "_publish", failing_publish)

    with translation.override("en"):
        report = actions.import_articles(
            [(1, row(slug="explodes", category="never-created")), (2, row(slug="survives", category=new_category()))]
        )
        assert [str(issue) for issue in report.errors] == ["line 1: unexpected error: disk full"]
    assert not ArticlePage.objects.filter(slug="explodes").exists()
    assert not CategoryPage.objects.filter(slug="never-created").exists()
    assert ArticlePage.objects.filter(slug="survives").exists()
    assert Page.objects.count() == pages + 2  # the survivor and its new category


def test_a_category_path_through_an_article_is_refused(demo_site):
    with translation.override("en"):
        report = actions.import_articles([(4, row(category="personal-ebanking/register-personal-ebanking"))])
        assert [str(i) for i in report.errors] == [
            "line 4: category path “personal-ebanking/register-personal-ebanking” leads to a page that is not a"
            " category"
        ]


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


SCRIPTABLE = {"script", "iframe", "object", "embed", "style", "link", "meta", "base", "frame", "applet"}


def unsafe_markup(markup, allowed_tags=None):
    """Elements or attributes in `markup` that could run script: what the sanitiser must never let through.

    With `allowed_tags`, anything outside that allow-list counts too (for stored, sanitised content).
    """
    parser = _Elements()
    parser.feed(markup)
    problems = []
    for tag, attrs in parser.found:
        if tag in SCRIPTABLE:
            problems.append(tag)
        if allowed_tags is not None and tag not in allowed_tags:
            problems.append(tag)
        for name, value in attrs:
            value = "".join((value or "").split()).lower()
            if name.startswith("on") or name == "style" or value.startswith(("javascript:", "vbscript:", "data:text")):
                problems.append(f"{tag}[{name}]")
    return problems


def test_hostile_html_in_imported_fields_is_sanitised(client, demo_site):
    cat = new_category()
    vectors = xss_vectors()
    rows = [
        (
            n,
            row(
                slug=f"hostile-{n}",
                category=cat,
                title=f"问题 {vector}",
                short_answer=f"回答 {vector}",
                answer=f"<p>正文</p>{vector}",
                answer_format="html",
                agent_notes=f"备注 {vector}",
                tags=[vector[:90]],
            ),
        )
        for n, vector in enumerate(vectors, start=1)
    ]

    report = actions.import_articles(rows)

    assert all("unexpected error" not in str(issue) for issue in report.errors)
    imported = ArticlePage.objects.filter(slug__startswith="hostile-")
    assert imported.count() == report.created > len(vectors) // 2  # refused rows say why; most go in
    for article in imported:
        sources = [article.agent_notes] + [b.value.source for b in article.answer if b.block_type == "rich_text"]
        for source in sources:
            assert unsafe_markup(source, ALLOWED_TAGS) == [], source
    for article in imported[:30]:
        html = client.get(article.url).content.decode()
        main = html.split('<main id="main"')[1].split("</main>")[0]
        assert unsafe_markup(main) == [], article.slug


def test_markdown_becomes_steps_tables_notices_and_rich_text(demo_site):
    answer = "\n\n".join(
        [
            "# 标题",
            "说明 **加粗**。",
            "1. 第一步\n2. 第二步",
            "| 项目 | 费用 |\n|---|---|\n| 转账 | 免费 |",
            "> **注意** 核对信息。",
        ]
    )
    make_articles([row(slug="md", answer=answer)])
    article = ArticlePage.objects.get(slug="md")

    blocks = [(block["type"], block["value"]) for block in article.answer.raw_data]

    assert [t for t, _v in blocks] == ["rich_text", "steps", "table", "notice"]
    assert blocks[0][1] == "<h2>标题</h2><p>说明 <strong>加粗</strong>。</p>"
    assert blocks[1][1]["steps"] == ["<p>第一步</p>", "<p>第二步</p>"]
    assert blocks[2][1]["columns"] == [{"type": "text", "heading": "项目"}, {"type": "text", "heading": "费用"}]
    assert blocks[3][1] == {"kind": "warning", "title": "注意", "text": "<p>核对信息。</p>"}
    assert (
        article.plain_answer_text()
        == "标题\n说明 加粗。\n\n1. 第一步\n2. 第二步\n\n项目 | 费用\n转账 | 免费\n\n注意\n核对信息。"
    )


def test_naughty_strings_are_imported_or_refused_never_crash(client, demo_site):
    cat = new_category()
    strings = [s for s in blns() if s.strip()][:120]
    rows = [
        (
            n,
            row(
                slug=f"naughty-{n}",
                category=cat,
                title=text[:200] or "空",
                short_answer=text[:400] or "空",
                answer=text,
                tags=[text[:50]],
            ),
        )
        for n, text in enumerate(strings, start=1)
    ]

    report = actions.import_articles(rows)

    assert report.created + len(report.errors) == len(rows)
    assert all("unexpected error" not in str(issue) for issue in report.errors), report.errors[:3]
    for article in ArticlePage.objects.filter(slug__startswith="naughty-")[:40]:
        assert client.get(article.url).status_code == 200


def test_the_demo_file_is_valid_import_input(demo_site):
    from kb import demo

    with translation.override("en"):
        report = actions.import_articles(demo.demo_rows(), dry_run=True)

    assert report.errors == []
    assert report.created == 0 and report.updated == 0 and report.unchanged == 156


def test_related_links_prefer_the_same_language_even_when_it_comes_later(demo_site):
    cat = new_category()
    make_articles(
        [
            row(slug="lang-a", category=cat, locale="zh-hans", related=["lang-b"]),
            row(slug="lang-b", category=cat, locale="zh-hans"),
            row(slug="lang-a", category=cat, locale="en", related=["lang-b", "zh-only-target"]),
            row(slug="zh-only-target", category=cat, locale="zh-hans"),
            row(slug="lang-b", category=cat, locale="en"),
        ]
    )

    en_a = ArticlePage.objects.get(slug="lang-a", locale__language_code="en")
    links = [(link.target.slug, link.target.locale.language_code) for link in en_a.related_links.all()]
    assert links == [("lang-b", "en"), ("zh-only-target", "zh-hans")]  # Chinese only where no English exists


def test_a_translation_key_clash_is_reported_not_crashed(demo_site):
    cat = new_category()
    make_articles([row(slug="first-name", category=cat, locale="zh-hans")])
    zh = ArticlePage.objects.get(slug="first-name")
    make_articles([row(slug="english-name", category=cat, locale="en")])
    en = ArticlePage.objects.get(slug="english-name")
    en.translation_key = zh.translation_key
    en.save()

    with translation.override("en"):
        report = actions.import_articles([(1, row(slug="first-name", category=cat, locale="en"))])
        assert [str(i) for i in report.errors] == [
            "line 1: “first-name” in this language already exists as “english-name”"
        ]


def test_an_import_is_searchable_at_once_with_one_index_drain_and_one_cache_bump(
    demo_site, no_elasticsearch, monkeypatch, django_capture_on_commit_callbacks
):
    from portal.core import pagecache
    from search.indexing import outbox
    from search.models import IndexOutbox, SearchEntry

    drains, bumps = [], []
    real_drain, real_bump = outbox.request_drain, pagecache.bump
    monkeypatch.setattr(outbox, "request_drain", lambda **kw: drains.append(kw) or real_drain(**kw))
    monkeypatch.setattr(pagecache, "bump", lambda *tags: bumps.append(tags) or real_bump(*tags))
    cat = new_category()
    rows = [row(category=cat, title=f"批量导入问题 {n}：怎么办理？") for n in range(6)]

    with django_capture_on_commit_callbacks(execute=True):
        report = make_articles(rows)

    pks = {
        str(pk) for pk in ArticlePage.objects.filter(slug__in=[r["slug"] for r in rows]).values_list("pk", flat=True)
    }
    assert report.created == 6 and len(pks) == 6
    assert set(SearchEntry.objects.filter(kind="kb", object_pk__in=pks).values_list("object_pk", flat=True)) == pks
    assert not IndexOutbox.objects.exists()
    assert len(drains) == 1
    assert bumps.count((pagecache.ALWAYS,)) == 1
