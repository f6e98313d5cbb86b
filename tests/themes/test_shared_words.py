"""One English word, several meanings: each screen shows the Chinese meant for it.

Our catalogue comes before Wagtail's, so an unqualified "New" translated for the message desk once turned
Wagtail's own "新建: 知识库文章" (the add-page header) into "新留言: 知识库文章". Words like it carry a context.
"""

from django.utils import translation
from django.utils.translation import gettext, pgettext

from portal.intake.models import Status


def test_wagtail_keeps_its_own_chinese_for_new_and_each_screen_gets_its_meaning():
    with translation.override("zh-hans"):
        assert gettext("New") == "新建"  # Wagtail's add-page header and buttons
        assert str(Status.NEW.label) == "新留言"  # a message nobody has picked up
        assert pgettext("unread post", "New") == "新"  # the forum's unread badge
    with translation.override("en"):
        assert str(Status.NEW.label) == "New"
