"""Every free-text field a customer fills is masked before it is stored, so card, ID and mobile numbers
never reach staff (e-mail, admin reports) or other readers verbatim.

Fields: KB feedback comments, the display name (shown beside every post), a post author's edit reason,
a flag's note; forum titles, posts, polls, ratings and search queries were masked already.
"""

import pytest
from django.core import mail
from django.utils import timezone

from forum import actions as forum_actions
from forum.models import BoardPage, Flag, ForumIndexPage, PostRevision
from kb.models import ArticleFeedback
from portal.core import roles
from tests.factories import UserFactory
from tests.kb.conftest import make_article

pytestmark = pytest.mark.django_db

HOSTILE = "卡号6222600260001072444，手机13812345678"
MASKED = "卡号***************2444，手机138****5678"


@pytest.fixture
def owner(make_staff):
    return make_staff(roles.EDITORS, display_name="编辑小赵")


@pytest.fixture
def article(demo_site, owner):
    return make_article(slug="masking-target", owner=owner.email)


def test_a_feedback_comment_is_masked_before_the_owner_mail_and_the_admin_report(
    client, article, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/kb/articles/{article.pk}/feedback/",
            {"helpful": "no", "comment": HOSTILE},
            HTTP_ACCEPT="application/json",
        )

    assert response.status_code == 200
    assert response.json()["message"] == (
        "Thank you! Your feedback helps us improve this answer. "
        "For your safety we hid the card, ID or phone numbers in your comment."
    )
    assert ArticleFeedback.objects.get(article=article).comment == MASKED
    assert len(mail.outbox) == 1
    assert MASKED in mail.outbox[0].body
    assert "6222600260001072444" not in mail.outbox[0].body and "13812345678" not in mail.outbox[0].body
    client.force_login(owner)
    report = client.get("/admin/reports/kb-feedback/").content.decode()
    assert MASKED in report and "13812345678" not in report
    export = client.get("/admin/reports/kb-feedback/?export=csv")
    exported = b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    assert MASKED in exported and "6222600260001072444" not in exported


def test_a_comment_without_numbers_is_stored_as_written(client, article):
    response = client.post(
        f"/en/kb/articles/{article.pk}/feedback/",
        {"helpful": "no", "comment": "第 2 步的按钮找不到，订单号 20261201"},
        HTTP_ACCEPT="application/json",
    )

    assert response.json()["message"] == "Thank you! Your feedback helps us improve this answer."
    assert ArticleFeedback.objects.get(article=article).comment == "第 2 步的按钮找不到，订单号 20261201"


def test_a_display_name_with_a_phone_number_is_masked_and_the_customer_told(client, customer):
    client.force_login(customer)

    response = client.post(
        "/en/accounts/profile/", {"display_name": "小王13812345678", "preferred_language": "en"}, follow=True
    )

    customer.refresh_from_db()
    assert customer.display_name == "小王138****5678"
    html = response.content.decode()
    assert "For your safety we hid the card, ID or phone numbers in your display name." in html


@pytest.fixture
def post(demo_site):
    board = BoardPage(slug="masking-board", title="脱敏测试版块")
    ForumIndexPage.objects.get(locale__language_code="zh-hans").add_child(instance=board)
    board.save_revision().publish()
    author = UserFactory(display_name="提问者")
    author.date_joined = timezone.now() - timezone.timedelta(days=365)
    author.save(update_fields=["date_joined"])
    thread = forum_actions.create_thread(
        author, board, title="转账失败怎么办", body="提示余额不足。", check_limits=False, notify=False
    ).thread
    return thread.opening_post


def test_a_flag_note_is_masked(post):
    reader = UserFactory()

    forum_actions.flag_post(reader, post, Flag.Reason.PERSONAL_DATA, note=f"他贴了{HOSTILE}")

    assert Flag.objects.get(post=post).note == f"他贴了{MASKED}"


def test_an_authors_edit_reason_is_masked(post):
    forum_actions.edit_post(post.author, post, body="提示余额不足，已解决。", reason=f"补充{HOSTILE}")

    assert PostRevision.objects.get(post=post).reason == f"补充{MASKED}"


def test_comments_stored_before_masking_are_masked_by_the_migration(article):
    import importlib

    from django.apps import apps

    old = ArticleFeedback.objects.create(article=article, helpful=False, visitor_key="m" * 64, comment=HOSTILE)
    migration = importlib.import_module("kb.migrations.0004_mask_feedback_comments")

    migration.mask_comments(apps, None)

    old.refresh_from_db()
    assert old.comment == MASKED
