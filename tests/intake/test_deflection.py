"""Answers before asking: the no-JS preview asks the search app (as a customer) through its registered finder,
on the real Elasticsearch node; "This solved it" records a Deflection and creates no message."""

import pytest
from wagtail.rich_text import RichText

from portal.intake.models import Deflection
from search import indexing, registry
from tests.intake.conftest import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(elasticsearch, settings, demo_site):
    settings.PORTAL_SEARCH_REFRESH = True

    def rebuild():
        for kind in registry.kinds():
            indexing.rebuild(kind)

    return rebuild


def _article(title, audience="public", language="en"):
    from kb.models import ArticlePage, CategoryPage

    category = CategoryPage.objects.filter(locale__language_code=language).order_by("path").first()
    page = ArticlePage(
        title=title,
        slug=f"deflect-{abs(hash(title)) % 10**8}",
        short_answer=title,
        answer=[("rich_text", RichText(f"<p>{title}</p>"))],
        audience=audience,
        locale=category.locale,
    )
    category.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_preview_step_shows_public_answers_and_never_agent_only_ones(client, indexed, fresh):
    public = _article("Zebracorn token reset steps")
    internal = _article("Zebracorn token internal override", audience="agents")
    indexed()
    response = client.post("/en/messages/", {**form_data(subject="zebracorn token"), "preview": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Answers that may already help" in page
    assert public.title in page
    assert internal.title not in page
    assert page.count("This solved it") <= 5 + 1  # the answers, plus the label the script uses
    assert fresh.count() == 0  # a preview never sends


def test_this_solved_it_records_a_deflection_and_no_message(client, homes, fresh):
    before = Deflection.objects.count()
    response = client.post(
        "/en/messages/solved/",
        {
            "query": "lost card 6222021234567890128",
            "url": "/en/kb/cards/lost-card/",
            "title": "Lost card",
            "kind": "kb",
            "source": "preview",
        },
    )
    assert response.status_code == 200
    assert "Glad we could help" in response.content.decode()
    assert Deflection.objects.count() == before + 1
    deflection = Deflection.objects.latest("id")
    assert (
        deflection.url == "/en/kb/cards/lost-card/" and deflection.language == "en" and deflection.source == "preview"
    )
    assert "6222021234567890128" not in deflection.query  # masked before it is stored
    assert fresh.count() == 0


def test_deflection_refuses_links_to_other_sites(client, homes):
    before = Deflection.objects.count()
    response = client.post("/en/messages/solved/", {"url": "https://evil.example/", "title": "x"})
    assert response.status_code == 400
    assert Deflection.objects.count() == before


def test_live_answers_use_the_search_api_from_a_static_script(client, homes):
    page = client.get("/en/messages/").content.decode()
    assert 'data-api="/api/search"' in page
    assert 'src="/static/themes/js/intake.js"' in page
