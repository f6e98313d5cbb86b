"""Article content: Markdown to blocks, plain text for search, heading anchors, safe JSON-LD."""

import json
import re

import pytest

from kb.content import html_to_blocks, sanitise_source, source_to_blocks
from kb.models import ArticlePage
from kb.rendering import add_heading_anchors
from kb.templatetags.kb_tags import ld_json
from tests.kb.conftest import make_article

pytestmark = pytest.mark.django_db


def test_json_ld_cannot_close_its_script_element():
    html = ld_json({"name": "</script><script>alert(1)</script> & <!--"})

    assert html.count("</script>") == 1
    assert "\\u003C/script\\u003E" in html
    assert json.loads(re.search(r">(.*)</script>", html).group(1))["name"].startswith("</script>")


def test_hostile_question_is_escaped_in_json_ld_and_title(client, demo_site):
    article = make_article(slug="evil-title", title="</script><script>alert(1)</script> 怎么办")

    html = client.get(article.url).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "alert(1)" in html  # as text


def test_headings_get_unique_anchors_and_a_table_of_contents():
    toc = []
    html = add_heading_anchors("<h2>开通方式</h2><p>x</p><h2>开通方式</h2><h3>Step one</h3>", toc)

    assert [entry["id"] for entry in toc] == ["开通方式", "开通方式-2", "step-one"]
    assert '<h2 id="开通方式">开通方式 <a class="heading-anchor" href="#开通方式"' in html


def test_article_page_shows_anchors_steps_and_the_copy_button(client, demo_site):
    article = ArticlePage.objects.get(slug="register-personal-ebanking", locale__language_code="zh-hans")

    html = client.get(article.url).content.decode()

    assert 'class="heading-anchor"' in html
    assert '<ol class="kb-steps-list">' in html
    assert 'data-kb-copy="kb-short-text"' in html and "hidden" in html.split("data-kb-copy")[0][-200:]
    assert '<script src="/static/themes/js/kb.js" defer></script>' in html
    assert '<nav class="kb-breadcrumbs"' in html


def test_plain_answer_text_is_what_the_search_side_indexes(demo_site):
    article = ArticlePage.objects.get(slug="register-personal-ebanking", locale__language_code="en")

    text = article.plain_answer_text()

    assert "1. On the Example Bank website" in text
    assert "<" not in text
    assert article.category_path() == "personal-ebanking"
    assert article.tag_names() and article.channel_labels()


def test_html_import_keeps_tables_and_lists_in_their_blocks():
    markup, fmt = sanitise_source(
        "<h1>Title</h1><ol><li>One</li><li><p>Two</p></li></ol><table><tr><th>A</th></tr><tr><td><b>1</b></td></tr></table>"
    )

    blocks = html_to_blocks(markup)

    assert fmt == "html"
    assert blocks[0] == ("steps", {"title": "Title", "steps": ["<p>One</p>", "<p>Two</p>"]})
    assert blocks[1][1]["columns"] == [{"type": "rich_text", "heading": "A"}]
    assert blocks[1][1]["rows"] == [{"values": ["<p><b>1</b></p>"]}]


def test_markdown_links_are_kept_and_marked_nofollow():
    blocks = source_to_blocks("See [the rates](https://example.test/rates) or [bad](javascript:alert(1)).")

    assert blocks == [
        (
            "rich_text",
            '<p>See <a href="https://example.test/rates" rel="nofollow ugc noopener">the rates</a>'
            " or [bad](javascript:alert(1)).</p>",
        )
    ]


def test_an_answers_searchable_text_is_worked_out_once_while_indexing_and_is_the_same(demo_site, monkeypatch):
    from wagtail import blocks

    from kb.blocks import searchable_content_once

    article = ArticlePage.objects.get(slug="register-personal-ebanking", locale__language_code="en")
    field = ArticlePage._meta.get_field("answer")
    plain = field.get_searchable_content(article.answer)
    calls = []
    real = blocks.StreamBlock.get_searchable_content
    monkeypatch.setattr(blocks.StreamBlock, "get_searchable_content", lambda *a: calls.append(1) or real(*a))

    with searchable_content_once():
        memoised = [field.get_searchable_content(article.answer) for _time in range(3)]

    assert memoised == [plain] * 3
    assert len(calls) == 1
