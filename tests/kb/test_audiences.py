"""Agents-only articles and agent notes never reach a customer, by any route; agents see them all."""

import json
import re

import pytest

from kb.models import ArticlePage, Audience
from tests.kb.conftest import make_article, make_articles, new_category, row

pytestmark = pytest.mark.django_db

SECRET_TITLE = "坐席专用：远程重置U盾的内部流程"
SECRET_NOTE = "内部备注：核验失败两次即结束通话"


def _json_ld(html):
    """Every JSON-LD object on the page (a script may hold one object or a list of them)."""
    found = []
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(block)
        found.extend(data if isinstance(data, list) else [data])
    return found


@pytest.fixture
def pair(demo_site):
    """A public article whose related link and body link point at an agents-only article, in a fresh category."""
    cat = new_category()
    secret = make_article(slug="secret-procedure", category=cat, title=SECRET_TITLE, audience="agents")
    public = make_article(
        slug="public-answer",
        category=cat,
        title="U盾丢了怎么办？",
        agent_notes=f"- {SECRET_NOTE}",
        related=["secret-procedure"],
    )
    return public, secret


def test_customer_gets_404_not_403_for_agents_only_article(client, pair, customer):
    _public, secret = pair

    assert client.get(secret.url).status_code == 404
    client.force_login(customer)
    response = client.get(secret.url)

    assert response.status_code == 404
    assert SECRET_TITLE not in response.content.decode()


def test_agent_reads_agents_only_article_marked_as_internal(client, pair, agent):
    _public, secret = pair
    client.force_login(agent)

    response = client.get(secret.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert SECRET_TITLE in html
    assert "仅限坐席" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_agent_notes_are_shown_to_agents_only(client, pair, customer, agent):
    public, _secret = pair

    anonymous = client.get(public.url).content.decode()
    client.force_login(customer)
    signed_in = client.get(public.url).content.decode()
    client.force_login(agent)
    as_agent = client.get(public.url).content.decode()

    assert SECRET_NOTE not in anonymous
    assert SECRET_NOTE not in signed_in
    assert SECRET_NOTE in as_agent


def test_related_links_hide_agents_only_articles_from_customers(client, pair, agent):
    public, secret = pair

    customer_html = client.get(public.url).content.decode()
    client.force_login(agent)
    agent_html = client.get(public.url).content.decode()

    assert secret.url not in customer_html and SECRET_TITLE not in customer_html
    assert secret.url in agent_html and SECRET_TITLE in agent_html


def test_category_listing_and_counts_leave_out_agents_only_articles(client, pair, agent):
    public, secret = pair
    category = public.get_parent().specific
    parent = category.get_parent()

    listing = client.get(category.url).content.decode()
    parent_listing = client.get(parent.url).content.decode()
    client.force_login(agent)
    agent_listing = client.get(category.url).content.decode()

    assert SECRET_TITLE not in listing
    assert public.title in listing
    assert "1 篇文章" in listing
    assert SECRET_TITLE in agent_listing
    assert "2 篇文章" in agent_listing
    assert SECRET_TITLE not in parent_listing


def test_answer_links_to_agents_only_articles_lose_their_href_for_customers(client, demo_site, agent):
    cat = new_category()
    secret = make_article(slug="linked-secret", category=cat, audience="agents", title=SECRET_TITLE)
    public = make_article(slug="links-to-secret", category=cat)
    public.answer = [
        {"type": "rich_text", "value": f'<p>See <a linktype="page" id="{secret.pk}">the procedure</a>.</p>'},
        {"type": "article_link", "value": {"article": secret.pk, "label": ""}},
    ]
    public.save_revision().publish()

    customer_html = client.get(public.url).content.decode()
    client.force_login(agent)
    agent_html = client.get(public.url).content.decode()

    assert "<a>the procedure</a>" in customer_html
    assert secret.url not in customer_html and SECRET_TITLE not in customer_html
    assert f'<a href="{secret.url}">the procedure</a>' in agent_html
    assert SECRET_TITLE in agent_html  # the article-link card names it for agents


def test_sitemap_lists_public_pages_only_with_translations(client, pair):
    public, secret = pair
    en = ArticlePage.objects.get(slug="register-personal-ebanking", locale__language_code="en")
    agents_only = ArticlePage.objects.filter(audience=Audience.AGENTS)

    xml = client.get("/sitemap-pages.xml").content.decode()  # /sitemap.xml is the index of sections

    assert public.full_url in xml
    assert en.full_url in xml  # the English tree is outside the site root; the KB lists it
    assert 'hreflang="en"' in xml
    for article in agents_only:
        assert article.full_url not in xml, article.slug
    assert secret.full_url not in xml


def test_json_ld_describes_public_articles_without_agent_content(client, pair, agent):
    public, secret = pair

    html = client.get(public.url).content.decode()
    blocks = _json_ld(html)
    client.force_login(agent)
    secret_html = client.get(secret.url).content.decode()

    faq = next(block for block in blocks if block["@type"] == "FAQPage")
    assert faq["mainEntity"][0]["name"] == public.title
    assert public.short_answer in faq["mainEntity"][0]["acceptedAnswer"]["text"]
    assert any(block["@type"] == "BreadcrumbList" for block in blocks)
    assert SECRET_NOTE not in json.dumps(blocks, ensure_ascii=False)
    assert _json_ld(secret_html) == []


def test_feed_never_lists_agents_only_articles_even_for_agents(client, pair, agent):
    _public, secret = pair
    client.force_login(agent)

    xml = client.get("/kb/feed/").content.decode()

    assert "<feed" in xml
    assert SECRET_TITLE not in xml


def test_index_lists_leave_agents_only_articles_out(client, pair, kb_index):
    _public, secret = pair

    html = client.get(kb_index.url).content.decode()

    assert SECRET_TITLE not in html


def test_cached_customer_page_never_shows_agent_content_and_follows_audience_changes(client, pair, agent, settings):
    public, secret = pair
    category = public.get_parent().specific
    settings.DEBUG = False
    from django.test import Client

    agent_client = Client()
    agent_client.force_login(agent)
    assert SECRET_NOTE in agent_client.get(public.url).content.decode()  # an agent's page is never cached

    first = client.get(public.url)
    second = client.get(public.url)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert SECRET_NOTE not in second.content.decode()
    assert "Cookie" in second["Vary"]

    client.get(category.url)  # cached listing, with the public article in it
    public.audience = Audience.AGENTS
    public.save_revision().publish()

    assert client.get(public.url).status_code == 404
    assert public.title not in client.get(category.url).content.decode()


def test_reader_actions_on_agents_only_articles_answer_404(client, pair, customer):
    _public, secret = pair
    client.force_login(customer)

    feedback = client.post(f"/kb/articles/{secret.pk}/feedback/", {"helpful": "yes"})
    used = client.post(f"/kb/articles/{secret.pk}/used-on-call/")

    assert (feedback.status_code, used.status_code) == (404, 404)


def test_missing_translation_fallback_respects_audience(client, demo_site, agent):
    cat = new_category()
    make_articles([row(slug="zh-only-secret", category=cat, audience="agents", title=SECRET_TITLE)])
    make_articles([row(slug="zh-only-public", category=cat)])
    secret_path = f"/en/faq/{cat}/zh-only-secret/"

    assert client.get(f"/en/faq/{cat}/zh-only-public/").status_code == 302
    assert client.get(secret_path).status_code == 404
    client.force_login(agent)
    assert client.get(secret_path).status_code == 302


def test_editors_find_agents_only_articles_in_the_admin_page_search(client, pair, editor):
    _public, secret = pair
    client.force_login(editor)

    html = client.get("/admin/pages/search/", {"q": "远程重置U盾"}).content.decode()

    assert SECRET_TITLE in html


def test_related_links_kept_per_process_follow_the_audience_and_publishing(pair, agent, customer, settings):
    from django.test import Client

    public, secret = pair
    settings.DEBUG = False
    agent_client, customer_client = Client(), Client()
    agent_client.force_login(agent)
    customer_client.force_login(customer)

    agent_first = agent_client.get(public.url).content.decode()
    customer_after = customer_client.get(public.url).content.decode()
    secret.audience = Audience.PUBLIC
    secret.save_revision().publish()
    customer_once_public = customer_client.get(public.url).content.decode()

    assert secret.url in agent_first and SECRET_TITLE in agent_first
    assert secret.url not in customer_after and SECRET_TITLE not in customer_after
    assert secret.url in customer_once_public and SECRET_TITLE in customer_once_public
