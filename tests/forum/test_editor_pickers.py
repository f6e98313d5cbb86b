"""What moderators and editors are offered to pick from: boards in the thread's language, staff as moderators."""

import re

import pytest
from wagtail.models import Locale

from forum.models import BoardPage
from forum.models.pages import BoardPageForm
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_move_list_offers_only_other_boards_in_the_threads_language(client, thread, moderator, make_board):
    other = make_board(title="信用卡专区")
    english = BoardPage.objects.filter(locale=Locale.objects.get(language_code="en")).live().first()
    client.force_login(moderator)

    body = client.get(thread.get_absolute_url()).content.decode()

    select = re.search(r'<select name="board"[^>]*>(.*?)</select>', body, re.S).group(1)
    offered = {int(pk) for pk in re.findall(r'<option value="(\d+)"', select)}
    assert other.pk in offered
    assert thread.board_id not in offered
    assert english is not None and english.pk not in offered
    assert set(BoardPage.objects.filter(pk__in=offered).values_list("locale__language_code", flat=True)) == {"zh-hans"}


def test_board_moderator_picker_offers_staff_only(board, moderator, customer, make_staff):
    agent = make_staff("Agents")
    departed = make_staff("Moderators")
    departed.is_active = False
    departed.save(update_fields=["is_active"])
    UserFactory()  # another customer

    form_class = BoardPage.get_edit_handler().get_form_class()
    assert issubclass(form_class, BoardPageForm)
    choices = set(form_class(instance=board, for_user=moderator).fields["moderators"].queryset)

    assert moderator in choices and agent in choices
    assert customer not in choices
    assert departed not in choices
