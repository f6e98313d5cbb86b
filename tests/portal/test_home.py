"""The home page links into every area, in both languages, with designed error pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_chinese_home_links_to_every_area(client, demo_site):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    for href, label in [("/faq/", "常见问题"), ("/forum/", "社区论坛"), ("/videos/", "专家视频"), ("/search/", "搜索")]:
        assert f'href="{href}"' in html
        assert label in html


def test_english_home_is_under_en_prefix(client, demo_site):
    response = client.get("/en/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Hello, how can we help?" in html
    for href in ["/en/faq/", "/en/forum/", "/en/videos/", "/en/search/"]:
        assert f'href="{href}"' in html


def test_language_switcher_links_to_the_translation_of_the_same_page(client, demo_site):
    html = client.get("/forum/").content.decode()

    assert 'href="/en/forum/" lang="en" hreflang="en"' in html


def test_home_page_query_count_does_not_grow_with_sections(client, demo_site):
    client.get("/")  # warm Wagtail's site cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")

    assert response.status_code == 200
    assert len(queries) <= 12, [q["sql"] for q in queries]


def test_anonymous_home_page_writes_nothing(client, demo_site):
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/en/")

    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert "sessionid" not in client.cookies


def test_unknown_url_gives_designed_404_in_chinese(client, demo_site):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "找不到这个页面" in response.content.decode()


def test_unknown_url_gives_designed_404_in_english(client, demo_site):
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()


def test_server_error_shows_designed_500_and_is_logged(client, demo_site, caplog):
    from django.urls import path

    from portal import urls as portal_urls

    def boom(request):
        raise RuntimeError("kaboom")

    client.raise_request_exception = False
    portal_urls.urlpatterns.insert(0, path("boom/", boom))
    try:
        from django.urls import clear_url_caches

        clear_url_caches()
        response = client.get("/boom/")
    finally:
        portal_urls.urlpatterns.pop(0)
        clear_url_caches()

    assert response.status_code == 500
    assert "服务器出了点问题" in response.content.decode()
    assert any("kaboom" in str(r.exc_info) for r in caplog.records if r.exc_info)


def test_public_pages_carry_a_strict_content_security_policy(client, demo_site):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "object-src 'none'" in policy
