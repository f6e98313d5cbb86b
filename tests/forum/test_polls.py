"""Polls: single or multiple choice, a closing time, results hidden until voted or closed, one vote per account."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum import actions
from forum.actions import ActionRefused
from forum.models import Poll, PollVote
from tests.factories import UserFactory
from tests.forum.conftest import zh

pytestmark = pytest.mark.django_db


@pytest.fixture
def poll_board(make_board):
    return make_board(polls_allowed=True)


def make_poll(author, board, multiple=False, closes_at=None, options=("U盾", "短信", "扫码")):
    written = actions.create_thread(
        author,
        board,
        title="您常用哪种方式登录？",
        body="请投票",
        poll={"question": "登录方式", "options": list(options), "multiple": multiple, "closes_at": closes_at},
        check_limits=False,
    )
    return written.thread.poll


def test_single_choice_vote_counts_once(poll_board, veteran):
    poll = make_poll(veteran, poll_board)
    voter = UserFactory()
    first = poll.options.first()

    actions.vote_poll(voter, poll, [first.pk])
    with pytest.raises(ActionRefused) as again:
        actions.vote_poll(voter, poll, [poll.options.last().pk])

    first.refresh_from_db()
    poll.refresh_from_db()
    assert again.value.message == "You have already voted in this poll."
    assert (first.vote_count, poll.voter_count) == (1, 1)
    assert PollVote.objects.filter(poll=poll).count() == 1


def test_single_choice_refuses_two_options(poll_board, veteran):
    poll = make_poll(veteran, poll_board)

    with pytest.raises(ActionRefused) as refused:
        actions.vote_poll(UserFactory(), poll, [option.pk for option in poll.options.all()[:2]])

    assert refused.value.message == "Please choose one option."


def test_multiple_choice_counts_each_option_and_the_voter_once(poll_board, veteran):
    poll = make_poll(veteran, poll_board, multiple=True)
    options = list(poll.options.all())

    actions.vote_poll(UserFactory(), poll, [options[0].pk, options[2].pk])

    poll.refresh_from_db()
    assert [o.vote_count for o in poll.options.all()] == [1, 0, 1]
    assert poll.voter_count == 1


def test_options_of_another_poll_are_refused(poll_board, veteran):
    poll = make_poll(veteran, poll_board)
    other = make_poll(veteran, poll_board, options=("甲", "乙"))

    with pytest.raises(ActionRefused):
        actions.vote_poll(UserFactory(), poll, [other.options.first().pk])


def test_closed_poll_refuses_votes(poll_board, veteran):
    poll = make_poll(veteran, poll_board, closes_at=timezone.now() + timedelta(minutes=5))
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    poll.refresh_from_db()

    with pytest.raises(ActionRefused) as refused:
        actions.vote_poll(UserFactory(), poll, [poll.options.first().pk])

    assert refused.value.message == "This poll is closed."


def test_results_are_hidden_until_the_reader_votes(client, poll_board, veteran):
    poll = make_poll(veteran, poll_board)
    for _number in range(3):
        actions.vote_poll(UserFactory(), poll, [poll.options.first().pk])
    reader = UserFactory()
    client.force_login(reader)
    url = poll.thread.get_absolute_url()

    before = client.get(url).content.decode()
    response = client.post(f"/forum/polls/{poll.pk}/vote/", {"options": [poll.options.last().pk]})
    after = client.get(url).content.decode()

    assert "75% · 3" not in before
    assert 'name="options"' in before
    assert response.status_code == 302
    assert "75% · 3" in after
    assert "25% · 1" in after


def test_results_show_when_the_poll_is_closed(client, poll_board, veteran):
    poll = make_poll(veteran, poll_board)
    actions.vote_poll(UserFactory(), poll, [poll.options.first().pk])
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))

    content = client.get(poll.thread.get_absolute_url()).content.decode()

    assert "100% · 1" in content


def test_polls_need_a_board_that_allows_them(board, veteran):
    with pytest.raises(ActionRefused) as refused:
        make_poll(veteran, board)

    assert refused.value.message == "Polls are not allowed on this board."


def test_poll_needs_two_different_options(poll_board, veteran):
    with pytest.raises(ActionRefused) as refused:
        make_poll(veteran, poll_board, options=("同一个", "同一个"))

    assert refused.value.message == "A poll needs between 2 and 10 different options."


def test_poll_options_are_masked_and_escaped(client, poll_board, veteran):
    poll = make_poll(veteran, poll_board, options=("<b>粗</b>", "打 13812345678"))

    content = client.get(poll.thread.get_absolute_url()).content.decode()

    assert [o.label for o in poll.options.all()] == ["<b>粗</b>", "打 138****5678"]
    assert "&lt;b&gt;粗&lt;/b&gt;" in content


def test_anonymous_readers_are_asked_to_sign_in_to_vote(client, poll_board, veteran):
    poll = make_poll(veteran, poll_board)

    content = client.get(poll.thread.get_absolute_url()).content.decode()

    assert zh("Sign in to vote. Results are shown after you vote or when the poll closes.") in content
