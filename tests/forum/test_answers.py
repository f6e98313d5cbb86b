"""Answers: the asker (or a moderator) accepts one; it shows under the question; the asker rates it."""

import pytest

from forum import actions
from forum.actions import ActionRefused
from forum.models import AnswerRating, Thread
from tests.factories import UserFactory
from tests.forum.conftest import reply, zh

pytestmark = pytest.mark.django_db


def test_asker_accepts_an_answer_and_it_shows_under_the_question(client, thread, veteran, moderator):
    answer = reply(moderator, thread, "请下载网银助手。")
    reply(UserFactory(), thread, "谢谢分享")

    actions.accept_answer(veteran, answer)

    thread.refresh_from_db()
    assert (thread.accepted_post_id, thread.status) == (answer.pk, Thread.Status.ANSWERED)
    content = client.get(thread.get_absolute_url()).content.decode()
    box = content.split('id="accepted-heading"', 1)[1].split("</section>", 1)[0]
    assert "请下载网银助手。" in box
    assert zh("Official answer") in box


def test_only_the_asker_or_a_moderator_accepts(thread, customer):
    answer = reply(customer, thread, "我的答案")

    with pytest.raises(ActionRefused) as refused:
        actions.accept_answer(UserFactory(), answer)

    assert refused.value.message == "Only the person who asked, or a moderator, can accept an answer."


def test_the_question_itself_cannot_be_accepted(thread, veteran):
    with pytest.raises(ActionRefused):
        actions.accept_answer(veteran, thread.opening_post)


def test_withdrawing_acceptance_reopens_a_thread_without_staff_answer(thread, veteran, customer):
    answer = reply(customer, thread, "答案")
    actions.accept_answer(veteran, answer)

    actions.unaccept_answer(veteran, thread)

    thread.refresh_from_db()
    assert (thread.accepted_post_id, thread.status) == (None, "open")


def test_asker_rates_the_answer_and_can_change_it(client, thread, veteran, moderator):
    answer = reply(moderator, thread, "官方答复")
    actions.accept_answer(veteran, answer)
    client.force_login(veteran)

    client.post(f"/forum/threads/{thread.pk}/rate/", {"rating": "neutral", "comment": "有点慢"})
    response = client.post(
        f"/forum/threads/{thread.pk}/rate/", {"rating": "satisfied", "comment": "解决了 13812345678"}
    )

    rating = AnswerRating.objects.get(thread=thread)
    assert response.status_code == 302
    assert (rating.rating, rating.comment, rating.post_id, rating.user) == (
        "satisfied",
        "解决了 138****5678",
        answer.pk,
        veteran,
    )


def test_an_official_answer_can_be_rated_before_acceptance(thread, veteran, moderator):
    answer = reply(moderator, thread, "官方答复")
    thread.refresh_from_db()

    rating = actions.rate_answer(veteran, thread, "dissatisfied", "没解决")

    assert rating.post_id == answer.pk


def test_only_the_asker_rates(thread, moderator, customer):
    reply(moderator, thread, "官方答复")
    thread.refresh_from_db()

    with pytest.raises(ActionRefused) as refused:
        actions.rate_answer(customer, thread, "satisfied")

    assert refused.value.message == "Only the person who asked can rate the answer, once there is one."


def test_rating_form_shows_only_to_the_asker(client, thread, veteran, moderator, customer):
    reply(moderator, thread, "官方答复")
    url = thread.get_absolute_url()

    client.force_login(customer)
    assert 'id="rate-heading"' not in client.get(url).content.decode()
    client.force_login(veteran)
    assert 'id="rate-heading"' in client.get(url).content.decode()


def test_page_two_links_to_the_accepted_answer(client, thread, veteran, moderator, settings):
    settings.PORTAL_FORUM_POSTS_PER_PAGE = 2
    answer = reply(moderator, thread, "官方答复")
    for number in range(3):
        reply(UserFactory(), thread, f"回复 {number}")
    actions.accept_answer(veteran, answer)

    content = client.get(f"{thread.get_absolute_url()}?last=1").content.decode()

    assert f"?at={answer.pk}#post-{answer.pk}" in content
