"""Titles and snippets are marked once per document text and query words, per process (search.backends.base)."""

import pytest

from search.backends.base import SearchHit, decorate
from search.plan import SearchRequest, plan_for

pytestmark = pytest.mark.django_db

PUBLIC = frozenset({"public"})


def hit(title, body):
    return SearchHit(kind="kb", pk="1", title=title, url="/x/", locale="zh-hans", audience="public", body=body)


def test_the_same_document_for_the_same_words_is_marked_alike_and_a_changed_one_afresh():
    plan = plan_for(SearchRequest("网银登录", PUBLIC, locale="zh-hans"))

    first = decorate(hit("网银登录不上", "网银登录密码忘了怎么办"), plan, 1)
    again = decorate(hit("网银登录不上", "网银登录密码忘了怎么办"), plan, 2)
    changed = decorate(hit("网银登录不上", "网银登录提示安装控件 <b>"), plan, 1)
    other_words = decorate(hit("网银登录不上", "网银登录密码忘了怎么办"), plan_for(SearchRequest("密码", PUBLIC)), 1)

    assert (again.title_html, again.snippet_html, again.position) == (first.title_html, first.snippet_html, 2)
    assert "<mark>" in first.title_html and "密码" in first.snippet_html
    assert "控件 &lt;b&gt;" in changed.snippet_html and "密码" not in changed.snippet_html
    assert "<mark>密码</mark>" in other_words.snippet_html and "<mark>密码</mark>" not in first.snippet_html
