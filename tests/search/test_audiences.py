"""Audiences hold under every combination: each role searches for an item of each audience, on both
backends and through every route a stranger can reach (search, suggestions, the JSON API, the page)."""

import re

import pytest

from portal.core import roles
from search.policies import SearchPolicy
from search.queries import SearchRequest, search, suggest

pytestmark = pytest.mark.django_db

ITEMS = {
    "public": "星河卡公开说明",
    "agents": "星河卡坐席口径",
    "staff": "星河卡待审帖子",
    "desk": "星河卡客户留言",  # a customer's message: the message desk's audience only
}
# Which audiences each role may see.
SEES = {
    "anonymous": {"public"},
    "customer": {"public"},
    roles.AGENTS: {"public", "agents", "staff"},
    roles.MODERATORS: {"public", "agents", "staff"},
    roles.OPERATIONS: {"public", "agents", "staff"},
    roles.EDITORS: {"public", "agents", "staff"},
    roles.MESSAGE_DESK: {"public", "agents", "staff", "desk"},
    roles.SUPERVISORS: {"public", "agents", "staff", "desk"},
}
KINDS = {"staff": "forum", "desk": "messages"}


@pytest.fixture
def items(index_records):
    return index_records(
        *[
            {
                "pk": str(9000 + i),
                "audience": audience,
                "title": title,
                "kind": KINDS.get(audience, "kb"),
            }
            for i, (audience, title) in enumerate(ITEMS.items())
        ]
    )


@pytest.fixture
def user_for(customer, make_staff):
    from django.contrib.auth.models import AnonymousUser

    def make(role):
        if role == "anonymous":
            return AnonymousUser()
        if role == "customer":
            return customer
        return make_staff(role)

    return make


@pytest.mark.parametrize("role", list(SEES))
def test_each_role_finds_exactly_the_audiences_it_may_see(engine, items, user_for, role):
    audiences = SearchPolicy.audiences(user_for(role))

    found = {hit.audience for hit in search(SearchRequest("星河卡", audiences, locale="zh-hans")).hits}
    suggested = {s["title"] for s in suggest("星河卡", audiences, locale="zh-hans")}

    assert audiences == SEES[role]
    assert found == SEES[role]
    assert suggested == {ITEMS[a] for a in SEES[role]}


@pytest.mark.parametrize("role", list(SEES))
def test_api_and_page_apply_the_users_audience_whatever_the_parameters_say(engine, items, user_for, role, client):
    user = user_for(role)
    if user.is_authenticated:
        client.force_login(user)

    data = client.get("/api/search", {"q": "星河卡", "audience": "agents,staff", "size": 50}).json()
    page = re.sub(r"<[^>]+>", "", client.get("/search/", {"q": "星河卡", "audience": "staff"}).content.decode())

    assert {r["audience"] for r in data["results"]} == SEES[role]
    for audience, title in ITEMS.items():
        assert (title in page) == (audience in SEES[role])
