"""The anonymous page cache (portal/core/pagecache.py): what may be stored, how keys are made, fragments per
visitor, and what happens when the shared cache is down."""

import pytest
from django.test import Client

from portal.core import pagecache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.DEBUG = False
    settings.PORTAL_PAGE_CACHE_SECONDS = 300


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response


def test_pages_with_a_csrf_token_are_never_stored(demo_site):
    client = Client()
    get(client, "/accounts/login/")
    second = get(client, "/accounts/login/")
    assert "X-Page-Cache" not in second
    assert 'name="csrfmiddlewaretoken"' in second.content.decode()


def test_the_language_is_part_of_the_key(demo_site):
    client = Client()
    zh_home, en_home = get(client, "/"), get(client, "/en/")
    assert get(client, "/")["X-Page-Cache"] == "hit"
    assert get(client, "/en/").content == en_home.content
    assert zh_home.content != en_home.content
    assert 'lang="en"' in en_home.content.decode()


def test_a_fragment_is_rendered_for_each_visitor(db):
    calls = []

    def render(request, arg):
        calls.append(arg)
        return f"<p>visitor {len(calls)}</p>"

    pagecache.register_fragment("test-visitor", render)
    request = type("R", (), {"_pagecache": pagecache._Candidate()})()
    marker = pagecache.fragment(request, "test-visitor", "7")
    assert marker == "<!--pagecache:test-visitor:7-->"
    with pytest.raises(ValueError, match="slug"):
        pagecache.fragment(request, "test-visitor", "<script>")

    response = pagecache._fill(type("Resp", (), {"content": f"<main>{marker}</main>".encode()})(), request)
    assert response.content == b"<main><p>visitor 1</p></main>"
    assert calls == ["7"]


def test_a_changed_site_is_seen_on_the_next_request(demo_site):
    from wagtail.models import Site

    client = Client()
    assert client.get("/").wsgi_request._wagtail_site.site_name != "示例银行客服中心（新）"
    site = Site.objects.get(is_default_site=True)
    site.site_name = "示例银行客服中心（新）"
    site.save()

    assert client.get("/").wsgi_request._wagtail_site.site_name == "示例银行客服中心（新）"


def test_an_anonymous_reader_downloads_a_document(db):
    """Wagtail streams documents: the cache's fragment filling used to read `.content` and answered 500."""
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    document = Document.objects.create(title="费率表", file=ContentFile(b"%PDF-1.4 fees", name="fees.pdf"))

    response = get(Client(), document.url)

    assert b"".join(response.streaming_content) == b"%PDF-1.4 fees"
    assert "X-Page-Cache" not in response


def test_a_long_lived_worker_keeps_a_bounded_memory_and_right_answers(db, monkeypatch):
    """A worker that reads thousands of threads and pages must not grow for ever; what it forgets it reads
    again, and a change made meanwhile is still seen."""
    from django.test import RequestFactory

    pagecache.clear()
    monkeypatch.setattr(pagecache, "PROCESS_ENTRIES", 5)
    factory = RequestFactory()
    for number in range(40):
        request = factory.get("/")
        assert pagecache.remember(request, ("part", number), lambda n=number: f"part {n}", tag=f"t:{number}") == (
            f"part {number}"
        )
    assert len(pagecache._memos) <= 5
    assert len(pagecache._generations) <= 5

    pagecache.bump("t:39")
    request = factory.get("/")
    assert pagecache.remember(request, ("part", 39), lambda: "part 39, changed", tag="t:39") == "part 39, changed"
    request = factory.get("/")
    assert pagecache.remember(request, ("part", 39), lambda: "not computed again", tag="t:39") == "part 39, changed"
