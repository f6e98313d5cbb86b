"""What a search engine reads: robots.txt, a paged sitemap index with public answered threads, canonical and
hreflang links on every translated page, all absolute from the configured base URL."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from forum.models import Thread
from forum.policies import ForumPolicy

pytestmark = pytest.mark.django_db


def locs(xml):
    return re.findall(r"<loc>([^<]+)</loc>", xml)


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_staff_tools(client, homes):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("User-agent: *\n")
    for path in ("/admin/", "/accounts/", "/console/", "/en/console/", "/forum/moderation/", "/search/"):
        assert f"Disallow: {path}\n" in body
    assert "Disallow: /forum/\n" not in body and "Disallow: /\n" not in body
    assert body.endswith("Sitemap: http://localhost/sitemap.xml\n")


def public_answered_threads():
    threads = Thread.objects.filter(status=Thread.Status.ANSWERED, board__live=True)
    return list(ForumPolicy.visible_threads(AnonymousUser(), threads).order_by("id"))


def test_sitemap_index_lists_pages_and_public_answered_threads(client, demo_site):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert "<sitemapindex" in index.content.decode()
    assert locs(index.content.decode()) == [
        "http://localhost/sitemap-pages.xml",
        "http://localhost/sitemap-threads.xml",
    ]

    threads_xml = client.get("/sitemap-threads.xml").content.decode()
    answered = public_answered_threads()
    assert answered, "the demo has answered threads"
    expected = [f"http://localhost{thread.get_absolute_url()}" for thread in answered]
    assert locs(threads_xml) == expected
    open_thread = Thread.objects.filter(status=Thread.Status.OPEN).first()
    assert f"/t/{open_thread.pk}-" not in threads_xml

    pages_xml = client.get("/sitemap-pages.xml").content.decode()
    assert "http://localhost/" in locs(pages_xml) and "http://localhost/en/faq/" in pages_xml


def test_hidden_threads_leave_the_sitemap(client, demo_site):
    answered = public_answered_threads()
    hidden = answered[0]
    Thread.objects.filter(pk=hidden.pk).update(state=Thread.State.HIDDEN)

    threads_xml = client.get("/sitemap-threads.xml").content.decode()

    assert f"/t/{hidden.pk}-" not in threads_xml
    assert len(locs(threads_xml)) == len(answered) - 1


def test_threads_sitemap_is_paged_and_the_index_names_each_page(client, demo_site, settings):
    settings.PORTAL_SITEMAP_THREADS_PER_PAGE = 2
    answered = public_answered_threads()
    pages = (len(answered) + 1) // 2
    assert pages >= 2

    index = locs(client.get("/sitemap.xml").content.decode())

    assert index[1:] == ["http://localhost/sitemap-threads.xml"] + [
        f"http://localhost/sitemap-threads.xml?p={n}" for n in range(2, pages + 1)
    ]
    second = locs(client.get("/sitemap-threads.xml?p=2").content.decode())
    assert second == [f"http://localhost{thread.get_absolute_url()}" for thread in answered[2:4]]


@pytest.mark.parametrize(
    ("path", "zh", "en"),
    [
        ("/", "http://localhost/", "http://localhost/en/"),
        ("/en/forum/", "http://localhost/forum/", "http://localhost/en/forum/"),
        ("/videos/", "http://localhost/videos/", "http://localhost/en/videos/"),
    ],
)
def test_translated_pages_carry_canonical_and_hreflang_links(client, demo_site, path, zh, en):
    html = client.get(path).content.decode()

    assert f'<link rel="canonical" href="http://localhost{path}">' in html
    assert f'<link rel="alternate" hreflang="zh-Hans" href="{zh}">' in html
    assert f'<link rel="alternate" hreflang="en" href="{en}">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{zh}">' in html
    assert html.count('rel="canonical"') == 1


def test_a_thread_has_its_own_canonical_and_no_board_alternates(client, demo_site):
    thread = public_answered_threads()[0]
    url = thread.get_absolute_url()

    html = client.get(url).content.decode()

    assert f'<link rel="canonical" href="http://localhost{url}">' in html
    assert 'hreflang="x-default"' not in html.split("</head>")[0]


def test_the_demo_site_is_served_at_the_configured_base_url(demo_site, settings):
    from wagtail.models import Site

    from portal.demo import build_demo

    settings.PORTAL_BASE_URL = "http://127.0.0.1:8000"
    homes = build_demo()

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)
    assert homes["en"].get_full_url() == "http://127.0.0.1:8000/en/"
