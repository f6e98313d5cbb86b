"""Fixtures of the knowledge-base tests: the demo KB, articles made through the import action, readers."""

import itertools
import json

import pytest
from django.utils import translation

from kb import actions
from kb.models import ArticlePage, KnowledgeIndexPage
from portal.core import pagecache, roles
from tests.testdata import TESTDATA

_slugs = itertools.count()


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    pagecache.clear()
    yield
    pagecache.clear()


@pytest.fixture
def kb_index(demo_site):
    return KnowledgeIndexPage.objects.get(locale__language_code="zh-hans")


def new_category():
    """A category path nobody uses yet (the import creates it), so counts and lists start at zero."""
    return f"test-cat-{next(_slugs)}"


def row(**fields):
    """One import row; every required column filled with something plausible."""
    n = next(_slugs)
    base = {
        "slug": f"test-article-{n}",
        "locale": "zh-hans",
        "category": "personal-ebanking/transfers",
        "title": f"测试问题 {n}：转账多久到账？",
        "short_answer": "行内转账实时到账，跨行转账一般 2 小时内到账。",
        "answer": "## 到账时间\n\n1. 登录手机银行。\n2. 查看转账记录。\n\n> **注意** 请核对收款人信息。",
        "tags": ["转账"],
        "channels": ["web", "mobile"],
        "audience": "public",
        "agent_notes": "",
        "related": [],
    }
    base.update(fields)
    return base


def make_articles(rows, **kwargs):
    """Import rows (line numbers from 1) and fail loudly if any is rejected."""
    report = actions.import_articles(list(enumerate(rows, start=1)), **kwargs)
    assert report.errors == [], [str(e) for e in report.errors]
    return report


def make_article(**fields):
    data = row(**fields)
    make_articles([data])
    return ArticlePage.objects.get(slug=data["slug"], locale__language_code=data["locale"])


@pytest.fixture
def article_factory(demo_site):
    return make_article


@pytest.fixture
def agent(make_staff):
    return make_staff(roles.AGENTS, display_name="坐席小王")


@pytest.fixture
def editor(make_staff):
    return make_staff(roles.EDITORS, display_name="编辑小赵")


@pytest.fixture
def reviewer(make_staff):
    return make_staff(roles.KB_REVIEWERS, display_name="审核小孙")


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def blns():
    return json.loads((TESTDATA / "blns" / "blns.json").read_text(encoding="utf-8"))


def xss_vectors():
    return [
        item["vector"]
        for item in json.loads((TESTDATA / "owasp-xss" / "owasp_xss_filter_evasion_vectors.json").read_text())
    ]
