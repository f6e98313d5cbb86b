"""Every link on the search results page leads to a search results page for the same words.

The links are built with Django's {% querystring %}, which writes its own leading "?": a "?" in front of it
made "??q=…" links that landed on an empty search page.
"""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.django_db


def links(body, selector_class):
    """The hrefs of the anchors inside the element whose class starts with `selector_class`."""
    block = re.search(rf'<(nav|aside|p) class="{selector_class}[^"]*".*?</\1>', body, re.S)
    assert block, f"no {selector_class} on the page"
    return [unescape(href) for href in re.findall(r'<a [^>]*href="([^"]*)"', block.group(0))]


def query_box(body):
    return unescape(re.search(r'<input id="q"[^>]*value="([^"]*)"', body).group(1))


def follow(client, base, href):
    assert href.startswith("?") and not href.startswith("??"), href
    params = parse_qs(urlsplit(href).query)
    response = client.get(base + href)
    assert response.status_code == 200
    return params, response.content.decode()


@pytest.mark.parametrize("base", ["/search/", "/en/search/"])
def test_type_tabs_facets_and_next_page_keep_the_query(client, demo_site, no_elasticsearch, base):
    query = "网银" if base == "/search/" else "online banking"
    body = client.get(base, {"q": query}).content.decode()

    tabs = links(body, "sr-tabs")
    assert len(tabs) >= 2
    for href in tabs:
        params, page = follow(client, base, href)
        assert params["q"] == [query]
        assert query_box(page) == query
        assert "sr-result" in page

    facets = links(body, "sr-facets")
    assert facets
    params, page = follow(client, base, facets[0])
    assert params["q"] == [query] and "facet" in params
    assert 'aria-current="true"' in page and "sr-result" in page

    pages = links(body, "sr-pages")
    assert len(pages) == 1
    params, page = follow(client, base, pages[0])
    assert params == {"q": [query], "page": ["2"]}
    assert re.search(r"(第 2 页|Page 2 of)", page)
    previous = links(page, "sr-pages")[0]
    params, _ = follow(client, base, previous)
    assert params == {"q": [query], "page": ["1"]}


def test_did_you_mean_link_searches_for_the_suggestion(client, demo_site, no_elasticsearch):
    body = client.get("/en/search/", {"q": "pasword"}).content.decode()

    [href] = links(body, "sr-dym")
    params, page = follow(client, "/en/search/", href)
    assert params["q"] != ["pasword"]
    assert query_box(page) == params["q"][0]


def test_links_built_in_the_view_are_what_querystring_wrote():
    """The view builds the page's links once (search.views.result_links); each is what {% querystring %} gave."""
    from django.http import QueryDict
    from django.template import Context, Template

    from search.backends.base import Facet, SearchResults
    from search.views import result_links

    params = QueryDict("q=%E7%BD%91%E9%93%B6+a%26b&type=kb&facet=c1&page=2&x=1&x=2")
    results = SearchResults(
        query="网银 a&b",
        total=45,
        kinds=[Facet("kb", "KB", 30), Facet("forum", "Forum", 15)],
        facets=[Facet("c1", "Cards", 20), Facet("c2", "Loans", 10)],
        did_you_mean="网银",
        page=2,
        size=10,
    )

    def querystring(args):
        return Template("{% autoescape off %}{% querystring params " + args + " %}{% endautoescape %}").render(
            Context({"params": params, "r": results})
        )

    links = result_links(params, results, "kb", "c1")

    assert links["did_you_mean"] == querystring("q=r.did_you_mean page=None facet=None")
    assert links["all_kinds"] == querystring("type=None page=None facet=None")
    assert links["kinds"] == [
        (results.kinds[0], querystring("type='kb' page=None facet=None"), True),
        (results.kinds[1], querystring("type='forum' page=None facet=None"), False),
    ]
    assert links["clear_facet"] == querystring("facet=None page=None")
    assert links["facets"] == [
        (results.facets[0], querystring("facet='c1' page=None"), True),
        (results.facets[1], querystring("facet='c2' page=None"), False),
    ]
    assert links["previous"] == querystring("page=1") == "?q=%E7%BD%91%E9%93%B6+a%26b&type=kb&facet=c1&page=1&x=1&x=2"
    assert links["next"] == querystring("page=3")
