"""Staff search finds messages (audience staff) by reference, contact or text on the real Elasticsearch node;
customers never see them; numbers are masked in what is indexed."""

import pytest

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
