"""Pending, hidden and rejected content never reaches customers: not on the board, the thread, RSS or JSON-LD."""

import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser

from forum import actions
from forum.models import BoardPage, Thread
from forum.policies import ForumPolicy
from tests.factories import UserFactory
from tests.forum.conftest import reply

pytestmark = pytest.mark.django_db

SECRET = "只有版主能看到的内容"


@pytest.fixture
def cast(board, moderator, make_thread, veteran):
    """A public thread with a hidden reply, a pending reply, and a pending thread and a hidden thread."""
    public = make_thread(title="公开的问题", body="公开的内容")
    hidden_reply = reply(UserFactory(), public, f"隐藏回复 {SECRET}")
    actions.hide_post(moderator, hidden_reply, "广告")
    board.posting_policy = BoardPage.PostingPolicy.ALL_MODERATED
    pending_reply = reply(UserFactory(), public, f"待审回复 {SECRET}")
    pending_thread = make_thread(title=f"待审主题 {SECRET}", body=SECRET, author=UserFactory())
    board.posting_policy = BoardPage.PostingPolicy.OPEN
    hidden_thread = make_thread(title=f"隐藏主题 {SECRET}", body=SECRET, author=UserFactory())
    actions.hide_post(moderator, hidden_thread.opening_post, "违规")
    answer = reply(moderator, public, "官方答复")
    actions.accept_answer(veteran, answer, notify=False)
    return {
        "public": public,
        "hidden_reply": hidden_reply,
        "pending_reply": pending_reply,
        "pending_thread": pending_thread,
        "hidden_thread": hidden_thread,
    }


@pytest.mark.parametrize("who", ["anonymous", "customer"])
def test_customers_never_see_pending_or_hidden_content(client, cast, board, who):
    if who == "customer":
        client.force_login(UserFactory())

    board_page = client.get(board.url).content.decode()
    thread_page = client.get(cast["public"].get_absolute_url()).content.decode()
    feed = client.get(f"{board.url}feed/").content.decode()

    for content in (board_page, thread_page, feed):
        assert SECRET not in content
    assert "公开的问题" in board_page and "公开的问题" in feed
    assert client.get(cast["pending_thread"].get_absolute_url()).status_code == 404
    assert client.get(cast["hidden_thread"].get_absolute_url()).status_code == 404
    assert client.get(f"{board.url}p/{cast['hidden_reply'].pk}/").status_code == 404
    assert client.get(f"{board.url}p/{cast['pending_reply'].pk}/").status_code == 404


def test_counters_never_count_pending_or_hidden_posts(cast):
    public = Thread.objects.get(pk=cast["public"].pk)

    assert public.reply_count == 1
    assert public.last_post.body == "官方答复"


def test_moderators_see_everything_with_its_state(client, cast, board, moderator):
    client.force_login(moderator)

    thread_page = client.get(cast["public"].get_absolute_url()).content.decode()
    board_page = client.get(board.url).content.decode()

    assert f"隐藏回复 {SECRET}" in thread_page
    assert f"待审回复 {SECRET}" in thread_page
    assert f"待审主题 {SECRET}" in board_page
    assert client.get(cast["hidden_thread"].get_absolute_url()).status_code == 200


def test_authors_see_their_own_pending_post(client, cast):
    client.force_login(cast["pending_reply"].author)

    content = client.get(cast["public"].get_absolute_url()).content.decode()

    assert f"待审回复 {SECRET}" in content
    assert f"隐藏回复 {SECRET}" not in content


def test_json_ld_describes_only_public_posts(client, cast):
    content = client.get(cast["public"].get_absolute_url()).content.decode()

    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "QAPage"
    assert data["mainEntity"]["name"] == "公开的问题"
    assert data["mainEntity"]["acceptedAnswer"]["text"] == "官方答复"
    assert data["mainEntity"]["answerCount"] == 1
    assert SECRET not in block


def test_json_ld_is_left_out_when_the_accepted_answer_is_hidden(client, cast, moderator):
    public = Thread.objects.get(pk=cast["public"].pk)
    actions.hide_post(moderator, public.accepted_post, "过时")

    content = client.get(public.get_absolute_url()).content.decode()

    assert "application/ld+json" not in content
    assert "官方答复" not in content


def test_policy_querysets_agree_with_the_pages(cast, board, moderator):
    anonymous = AnonymousUser()

    public_ids = set(
        ForumPolicy.visible_threads(anonymous, Thread.objects.filter(board=board)).values_list("pk", flat=True)
    )
    staff_ids = set(
        ForumPolicy.visible_threads(moderator, Thread.objects.filter(board=board)).values_list("pk", flat=True)
    )

    assert public_ids == {cast["public"].pk}
    assert staff_ids == {cast["public"].pk, cast["pending_thread"].pk, cast["hidden_thread"].pk}


def test_search_interface_marks_audience_and_leaves_out_hidden_text(cast):
    public = Thread.objects.get(pk=cast["public"].pk)
    hidden = Thread.objects.get(pk=cast["hidden_thread"].pk)

    assert public.search_audience() == "public"
    assert hidden.search_audience() == "staff"
    assert SECRET not in public.search_text()
    assert "公开的内容" in public.search_text()
    assert public.accepted_answer_text() == "官方答复"
    assert public.language_code == "zh-hans"


def test_index_page_counts_only_public_threads(client, cast, board):
    content = client.get(board.get_parent().url).content.decode()

    assert board.title in content
