"""Forum items with known timestamps for the operations tests, far from the demo's own dates (2030)."""

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from forum import actions
from forum.models import BoardPage, ForumIndexPage
from tests.factories import UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
_slugs = itertools.count()


def at(*args):
    """An aware Shanghai time."""
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def board(demo_site):
    index = ForumIndexPage.objects.get(locale__language_code="zh-hans")
    board = BoardPage(slug=f"ops-board-{next(_slugs)}", title="运营测试版块", first_response_hours=24)
    index.add_child(instance=board)
    board.save_revision().publish()
    return BoardPage.objects.get(pk=board.pk)


@pytest.fixture
def asker(db):
    user = UserFactory(display_name="提问的客户")
    user.date_joined = at(2020, 1, 1)
    user.save(update_fields=["date_joined"])
    return user


@pytest.fixture
def moderator(make_staff):
    return make_staff("Moderators", display_name="版主小林")


@pytest.fixture
def ask(board, asker):
    """ask(when, answered_after=None, by=None) -> thread opened at `when`, answered after a timedelta."""

    def make(when, answered_after=None, by=None, title="网银登录不了怎么办？"):
        with time_machine.travel(when, tick=False):
            thread = actions.create_thread(
                asker, board, title=title, body="登录时提示证书错误。", check_limits=False, notify=False
            ).thread
        if answered_after is not None:
            with time_machine.travel(when + answered_after, tick=False):
                actions.create_reply(by, thread, body="请更新证书后再试。", check_limits=False, notify=False)
        thread.refresh_from_db()
        return thread

    return make


def later(when, **kwargs):
    return when + timedelta(**kwargs)
