"""Fixtures of the forum tests: a fresh board under the demo forum, its moderator, and a thread helper."""

import itertools

import pytest
from django.utils import timezone, translation
from django.utils.html import escape

from forum import actions
from forum.models import BoardPage, ForumIndexPage
from tests.factories import UserFactory

_slugs = itertools.count()


@pytest.fixture
def forum_index(demo_site):
    return ForumIndexPage.objects.get(locale__language_code="zh-hans")


@pytest.fixture
def make_board(forum_index):
    def make(**fields):
        fields.setdefault("title", "测试版块")
        board = BoardPage(slug=f"test-board-{next(_slugs)}", **fields)
        forum_index.add_child(instance=board)
        board.save_revision().publish()
        return BoardPage.objects.get(pk=board.pk)

    return make


@pytest.fixture
def board(make_board):
    return make_board(first_response_hours=24)


@pytest.fixture
def moderator(make_staff):
    return make_staff("Moderators", display_name="版主小林")


@pytest.fixture
def veteran(db):
    """A customer old enough, with enough published posts, to escape the new-member limits."""
    user = UserFactory(display_name="老用户")
    user.date_joined = timezone.now() - timezone.timedelta(days=365)
    user.save(update_fields=["date_joined"])
    return user


@pytest.fixture
def make_thread(board, veteran):
    def make(author=None, title="网银登录不了怎么办？", body="登录时提示证书错误。", target=None, **kwargs):
        kwargs.setdefault("check_limits", False)
        kwargs.setdefault("notify", False)
        return actions.create_thread(author or veteran, target or board, title=title, body=body, **kwargs).thread

    return make


@pytest.fixture
def thread(make_thread):
    return make_thread()


def reply(user, thread, body, **kwargs):
    kwargs.setdefault("check_limits", False)
    kwargs.setdefault("notify", False)
    return actions.create_reply(user, thread, body=body, **kwargs).post


def zh(message, html=True):
    """The Chinese text of a message, as the (Chinese by default) page shows it."""
    with translation.override("zh-hans"):
        text = translation.gettext(message)
    return escape(text) if html else text


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Actions called directly speak English (messages asserted verbatim); pages speak their URL's language."""
    with translation.override("en"):
        yield
