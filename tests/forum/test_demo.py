"""The forum demo: every board in both languages has believable threads, an official accepted answer, a poll,
a pending post and a reported post; building it twice adds nothing."""

import pytest

from forum import demo
from forum.models import BoardPage, Flag, Poll, Post, Thread

pytestmark = pytest.mark.django_db


def test_every_board_has_the_full_cast(demo_site):
    boards = BoardPage.objects.filter(slug__in=[slug for slug, *_rest in demo.BOARDS])
    assert boards.count() == 16
    for board in boards:
        threads = Thread.objects.filter(board=board)
        assert threads.filter(state="published", accepted_post__is_official=True).exists(), board
        assert Poll.objects.filter(thread__board=board).exists(), board
        assert Post.objects.filter(thread__board=board, state="pending").exists(), board
        assert Flag.objects.filter(post__thread__board=board, outcome="open").exists(), board
        assert threads.filter(rating__rating="satisfied").exists(), board


def test_demo_masks_the_card_number_a_member_posted(demo_site):
    post = Post.objects.get(thread__title="ATM 取款没出钞但扣款了", is_opening=True)

    assert "6222021234567894" not in post.body
    assert "************7894" in post.body


def test_demo_has_a_thread_past_its_response_target(demo_site):
    from forum import queries

    assert queries.sla_breaches()


def test_building_the_demo_again_adds_nothing(demo_site):
    counts = (Thread.objects.count(), Post.objects.count(), Flag.objects.count())

    demo.build(demo_site)

    assert (Thread.objects.count(), Post.objects.count(), Flag.objects.count()) == counts


def test_demo_pages_render_in_both_languages(client, demo_site):
    for language, prefix in (("zh-hans", ""), ("en", "/en")):
        board = BoardPage.objects.get(slug="credit-cards", locale__language_code=language)
        thread = Thread.objects.filter(board=board, accepted_post__isnull=False).first()
        assert client.get(f"{prefix}/forum/").status_code == 200
        assert client.get(board.url).status_code == 200
        response = client.get(thread.get_absolute_url())
        assert response.status_code == 200
        assert "application/ld+json" in response.content.decode()
