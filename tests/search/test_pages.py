"""The customer search page, the JSON API and the agent console, as people and desk tools use them."""

import json
import re

import pytest
from django.urls import reverse

from portal.core import roles
from search.models import RecentUse, SearchEvent, SearchQuery

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"<[^>]+>", "", response.content.decode())


@pytest.fixture
def u_key(engine, article, committed):
    return committed(
        article,
        "星河卡U盾插上没反应怎么办？",
        short_answer="换一个USB接口再试。",
        notes="先确认驱动版本",
        tags=["U盾"],
        channels=["web"],
    )


# --- Customer search page ---------------------------------------------------------------------------------


def test_search_page_shows_highlighted_results_with_type_tabs_and_facets(u_key, client):
    response = client.get("/search/", {"q": "星河卡U盾"})
    body = response.content.decode()

    assert response.status_code == 200
    assert re.search(r"<mark>[^<]*星河", body)
    assert 'href="/faq/' in body and u_key.url in body
    assert "文章" in text(response) or "Articles" in text(response)
    assert "先确认驱动版本" not in body  # agent notes never on the customer page


def test_search_page_without_a_query_is_a_plain_box(client, no_elasticsearch, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get("/search/")

    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()
    assert SearchQuery.objects.count() == 0


def test_empty_state_offers_the_forum_and_the_hotline(engine, client):
    response = client.get("/en/search/", {"q": "quantum teleportation mars"})
    body = text(response)

    assert response.status_code == 200
    assert "Nothing found for “quantum teleportation mars”" in body
    assert "Ask the community forum" in body and 'href="/en/forum/"' in response.content.decode()
    assert "40088-00000" in body


def test_long_queries_are_cut_and_the_page_says_so(engine, client):
    response = client.get("/en/search/", {"q": "u-key " * 60})

    assert "Your search was shortened to its first 200 characters." in text(response)
    assert SearchQuery.objects.get().query == ("u-key " * 60)[:200].strip()


def test_unreachable_elasticsearch_gives_database_results_and_says_they_may_be_incomplete(
    settings, category_en, committed, client
):
    from tests.search.conftest import make_article

    committed(make_article, category_en, "Zephyr card USB key does nothing", short_answer="Try another port.")
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.PORTAL_SEARCH_TIMEOUT = 0.5

    response = client.get("/en/search/", {"q": "zephyr usb key"})

    assert "Search is running in a reduced mode right now: results may be incomplete." in text(response)
    assert "Zephyr card USB key does nothing" in text(response)


def test_hostile_input_on_the_page_never_errors_and_is_escaped(engine, client):
    for query in [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "\x00\x1b[31m",
        "AND OR NOT *:*",
        "\\",
    ]:
        response = client.get("/search/", {"q": query, "type": "<x>", "facet": "\x00", "page": "-5"})
        assert response.status_code == 200
        assert "<script>alert(1)" not in response.content.decode()
        assert "onerror=alert(1)>" not in response.content.decode()


def test_click_beacon_records_the_click_against_the_signed_search(u_key, client):
    body = client.get("/search/", {"q": "星河卡U盾"}).content.decode()
    token = re.search(r'data-click-token="([^"]+)"', body).group(1)

    ok = client.post(reverse("search:click"), {"token": token, "kind": "kb", "id": str(u_key.pk), "pos": "1"})
    forged = client.post(reverse("search:click"), {"token": token + "x", "kind": "kb", "id": "1"})

    assert (ok.status_code, forged.status_code) == (204, 400)
    event = SearchEvent.objects.get()
    assert (event.action, event.object_pk, event.position, event.query.clicked) == ("click", str(u_key.pk), 1, True)


# --- JSON API -----------------------------------------------------------------------------------------------


def test_api_search_answers_json_with_results_facets_and_timing(u_key, client):
    data = client.get(
        "/api/search", {"q": "星河卡U盾", "type": "kb", "locale": "zh-hans", "size": 5, "facets": 1}
    ).json()
    plain = client.get("/api/search", {"q": "星河卡U盾"}).json()

    assert data["results"][0]["title"] == "星河卡U盾插上没反应怎么办？"
    assert data["results"][0]["short_answer"] == "换一个USB接口再试。"
    assert {f["key"] for f in data["facets"]["type"]} >= {"kb", "forum", "videos"}
    assert data["took_ms"] >= 0 and data["server_ms"] >= data["took_ms"] * 0
    assert data["backend"] in {"elasticsearch", "database"}
    assert plain["facets"] is None


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x", "type": "secrets"}, "Unknown type. Use one of: kb, forum, videos, episodes."),
        ({"q": "x", "locale": "fr"}, "Unknown locale. Use one of: en, zh-hans."),
        ({"q": "x", "size": "500"}, "size must be a whole number from 1 to 50."),
        ({"q": "x", "size": "ten"}, "size must be a whole number from 1 to 50."),
    ],
)
def test_api_rejects_bad_parameters_with_a_clear_message(client, no_elasticsearch, params, message):
    response = client.get("/api/search", params, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {"error": message}


def test_api_accepts_wagtails_api_tokens_and_takes_the_audience_from_the_tokens_user(
    engine, article, committed, client, make_staff
):
    from wagtail.models import APIToken

    committed(article, "星河卡内部流程", short_answer="内部。", audience="agents")
    _token, plaintext = APIToken.create_token(user=make_staff(roles.AGENTS), name="desk tool")

    anonymous = client.get("/api/search", {"q": "星河卡内部流程"}).json()
    with_token = client.get("/api/search", {"q": "星河卡内部流程"}, HTTP_AUTHORIZATION=f"Bearer {plaintext}").json()
    bad = client.get("/api/search", {"q": "x"}, HTTP_AUTHORIZATION="Bearer wagtail_nope")

    assert anonymous["results"] == [] or all(r["audience"] == "public" for r in anonymous["results"])
    assert [r["title"] for r in with_token["results"]][:1] == ["星河卡内部流程"]
    assert bad.status_code == 401 and bad["WWW-Authenticate"].startswith("Bearer")


def test_api_suggest_returns_titles(u_key, client):
    data = client.get("/api/suggest", {"q": "星河卡", "locale": "zh-hans"}).json()

    assert data["suggestions"][0]["title"] == "星河卡U盾插上没反应怎么办？"


def test_api_responses_are_private_and_never_cached(client, no_elasticsearch):
    response = client.get("/api/search", {"q": "网银"})

    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "Authorization" in response["Vary"]


# --- Agent console ---------------------------------------------------------------------------------------------


def test_console_sends_strangers_to_sign_in_and_hides_from_customers(client, customer, no_elasticsearch):
    anonymous = client.get("/console/")
    client.force_login(customer)
    as_customer = client.get("/console/")

    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert as_customer.status_code == 404


def test_console_without_javascript_shows_short_answer_and_agent_notes(u_key, client, make_staff):
    client.force_login(make_staff(roles.AGENTS))

    response = client.get("/console/", {"q": "星河卡U盾"})
    body = text(response)

    assert response.status_code == 200
    assert "换一个USB接口再试。" in body and "先确认驱动版本" in body
    assert "autofocus" in response.content.decode()
    assert SearchQuery.objects.get().source == "console"


def test_used_on_call_counts_in_search_analytics_the_kb_and_the_recent_list(u_key, client, make_staff):
    from kb.models import ArticleUsage

    agent = make_staff(roles.AGENTS)
    client.force_login(agent)
    logged = client.post(
        reverse("console:event"), {"action": "search", "q": "星河卡U盾", "total": 1, "backend": "database"}
    )

    used = client.post(
        reverse("console:event"),
        {"action": "used", "kind": "kb", "id": str(u_key.pk), "pos": 1, "query_id": logged.json()["query_id"]},
    )

    assert used.status_code == 200
    assert [r["title"] for r in used.json()["recent"]] == ["星河卡U盾插上没反应怎么办？"]
    assert SearchEvent.objects.get().action == "used" and SearchQuery.objects.get().clicked is True
    assert ArticleUsage.objects.filter(article=u_key, agent=agent).count() == 1
    assert RecentUse.objects.filter(user=agent).count() == 1
    assert "星河卡U盾插上没反应怎么办？" in text(client.get("/console/"))


def test_console_events_refuse_unknown_or_invisible_results(client, make_staff, no_elasticsearch):
    client.force_login(make_staff(roles.AGENTS))

    unknown = client.post(reverse("console:event"), {"action": "used", "kind": "kb", "id": "999999"})
    bad_action = client.post(reverse("console:event"), {"action": "delete", "kind": "kb", "id": "1"})

    assert unknown.status_code == 404 and bad_action.status_code == 400
    assert json.loads(bad_action.content) == {"error": "未知操作。"} or bad_action.json()["error"]
