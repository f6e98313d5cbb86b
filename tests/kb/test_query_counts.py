"""Category and article pages run a fixed number of SQL queries whatever the number of articles, tags and
related links: measured at two sizes, with a cold page cache (full render) and a warm one."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kb.models import ArticlePage
from portal.core import pagecache
from tests.kb.conftest import make_articles, new_category, row

pytestmark = pytest.mark.django_db

ARTICLE_BUDGET_WARM = 10  # BENCHMARKS.md: <= 10 queries for an article page


def _build(size):
    """A category with `size` articles; the last one has `size` tags and `size` related articles."""
    cat = new_category()
    rows = [row(slug=f"{cat}-a{n}", category=f"{cat}/sub", tags=[f"标签{n}"]) for n in range(size)]
    rows.append(
        row(
            slug=f"{cat}-main",
            category=cat,
            tags=[f"主题{n}" for n in range(size)],
            related=[f"{cat}-a{n}" for n in range(size)],
            agent_notes="- 备注",
        )
    )
    make_articles(rows)
    main = ArticlePage.objects.get(slug=f"{cat}-main")
    return main, main.get_parent().specific


def _count(client, url):
    client.get(url)  # warm Wagtail's site and content-type caches
    pagecache.clear()
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).status_code == 200
    return len(cold), len(warm)


@pytest.mark.parametrize("kind", ["article", "category"])
def test_pages_run_the_same_number_of_queries_at_two_sizes(kind, demo_site, settings):
    settings.DEBUG = False
    small_article, small_category = _build(2)
    large_article, large_category = _build(12)
    small = small_article if kind == "article" else small_category
    large = large_article if kind == "article" else large_category

    small_counts = _count(Client(), small.url)
    large_counts = _count(Client(), large.url)

    assert small_counts == large_counts
    assert large_counts[1] <= ARTICLE_BUDGET_WARM


def test_agents_article_page_runs_a_fixed_number_of_queries(demo_site, agent):
    small_article, _cat = _build(2)
    large_article, _cat = _build(12)
    client = Client()
    client.force_login(agent)

    assert _count(client, small_article.url)[0] == _count(client, large_article.url)[0]


def test_article_page_query_budget(demo_site, django_assert_max_num_queries, settings):
    settings.DEBUG = False
    article, _cat = _build(5)
    client = Client()
    client.get(article.url)
    pagecache.clear()

    with django_assert_max_num_queries(24):  # full render (cold cache): routing, chrome, content
        client.get(article.url)
    with django_assert_max_num_queries(ARTICLE_BUDGET_WARM):  # every later anonymous read
        client.get(article.url)
