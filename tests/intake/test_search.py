"""Staff search finds messages (audience staff) by reference, contact or text on the real Elasticsearch node;
customers never see them; numbers are masked in what is indexed."""

import pytest

from portal.core import roles
from search import indexing, queries, registry
from search.models import SearchEntry
from search.policies import SearchPolicy
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def es(elasticsearch, settings, demo_site):
    settings.PORTAL_SEARCH_REFRESH = True
    for kind in registry.kinds():
        indexing.rebuild(kind)
    return elasticsearch


def _search(user, text):
    request = queries.SearchRequest(text, SearchPolicy.audiences(user), kinds=("messages",), size=10, with_facets=False)
    return [hit.url for hit in queries.search(request).hits]


def test_messages_are_a_staff_kind(homes):
    assert "messages" in registry.kinds()


def test_staff_find_messages_by_reference_contact_and_text_customers_never(
    es, make_message, desk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = make_message(
            subject="Quokkaberry card blocked 6222021234567890128", email="quokka@example.test", language="en"
        )
    url = f"/admin/messages/{message.pk}/"
    assert url in _search(desk, "quokkaberry")
    assert url in _search(desk, message.reference)
    assert url in _search(desk, "quokka@example.test")
    assert _search(UserFactory(), "quokkaberry") == []
    from django.contrib.auth.models import AnonymousUser

    assert _search(AnonymousUser(), "quokkaberry") == []
    entry = SearchEntry.objects.get(kind="messages", object_pk=str(message.pk))
    assert "6222021234567890128" not in entry.title


def test_customers_search_page_never_names_messages(client, homes, no_elasticsearch):
    page = client.get("/en/search/?q=card").content.decode()
    assert "Messages" not in page.split('class="sr-tabs"', 1)[-1].split("</nav>", 1)[0]


@pytest.fixture
def quokka(engine, make_message, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_message(subject="Quokkaberry statement missing", email="quokka@example.test", language="en")


def test_only_staff_who_work_messages_find_them_agents_and_moderators_never(quokka, desk, supervisor, make_staff):
    url = f"/admin/messages/{quokka.pk}/"
    agent, moderator, editor = (make_staff(role) for role in (roles.AGENTS, roles.MODERATORS, roles.EDITORS))

    assert url in _search(desk, "quokkaberry")
    assert url in _search(supervisor, quokka.reference)
    for staff in (agent, moderator, editor):
        assert _search(staff, "quokkaberry") == []
        assert _search(staff, quokka.reference) == []
        assert SearchPolicy.can_see_messages(staff) is False
    assert SearchEntry.objects.get(kind="messages", object_pk=str(quokka.pk)).audience == "desk"


def test_an_agent_gets_no_message_from_the_console_api_or_suggestions_the_desk_does(quokka, client, desk, agent):
    client.force_login(agent)
    api = client.get("/api/search", {"q": "quokkaberry", "related": "messages"}).json()
    typed = client.get("/api/search", {"q": "quokkaberry", "type": "messages"})
    suggest = client.get("/api/suggest", {"q": "LY-"}).json()
    console = client.get("/console/", {"q": "quokkaberry"})

    assert api["results"] == [] and api["related"] == {"messages": []}
    assert typed.status_code == 200 and typed.json()["results"] == []
    assert quokka.reference not in str(suggest)
    assert console.status_code == 200 and "messages" not in console.context["related_kinds"].split(",")

    client.force_login(desk)
    found = client.get("/api/search", {"q": "quokkaberry", "type": "messages"}).json()
    desk_console = client.get("/console/", {"q": "quokkaberry"})

    assert [hit["url"] for hit in found["results"]] == [f"/admin/messages/{quokka.pk}/"]
    assert "messages" in desk_console.context["related_kinds"].split(",")
