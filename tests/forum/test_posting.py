"""Customers start threads and reply: counters, pre-moderation, masking, pictures, edits and anti-abuse limits."""

import io
import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.html import escape
from PIL import Image

from forum import actions
from forum.actions import ActionRefused, posting
from forum.models import Attachment, BoardPage, Post, PostRevision, Subscription, Thread
from portal.core.masking import mask_personal_data
from tests.factories import UserFactory
from tests.forum.conftest import reply, zh

pytestmark = pytest.mark.django_db


def png(size=(40, 30), exif=False):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SpyCam"  # camera maker
        kwargs["exif"] = data.tobytes()
        image.save(buffer, format="JPEG", **kwargs)
        return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def media_files():
    found = set()
    for root, _dirs, files in os.walk(settings.MEDIA_ROOT):
        found |= {os.path.join(root, name) for name in files}
    return found


def test_customer_starts_a_thread_through_the_form(client, board, veteran):
    client.force_login(veteran)

    response = client.post(f"{board.url}new/", {"title": "信用卡还款日能改吗？", "body": "想把还款日改到月底。"})

    thread = Thread.objects.get(board=board)
    assert response.status_code == 302
    assert response["Location"] == iri_to_uri(thread.get_absolute_url())
    assert (thread.title, thread.state, thread.status, thread.reply_count) == (
        "信用卡还款日能改吗？",
        "published",
        "open",
        0,
    )
    assert thread.last_post_id == thread.opening_post_id
    assert thread.sla_due_at == thread.created_at + timedelta(hours=24)
    assert Subscription.objects.filter(user=veteran, thread=thread).exists()


def test_reply_updates_counters_and_last_post(client, thread, customer):
    client.force_login(customer)

    response = client.post(thread.get_absolute_url(), {"body": "我也想知道。"})

    post = Post.objects.get(thread=thread, is_opening=False)
    thread.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"].endswith(f"?last=1#post-{post.pk}")
    assert (thread.reply_count, thread.last_post_id, thread.last_post_at) == (1, post.pk, post.created_at)


def test_moderator_reply_is_official_and_counts_as_first_response(thread, moderator):
    post = reply(moderator, thread, "您好，请按以下步骤操作。")

    thread.refresh_from_db()
    assert post.is_official
    assert thread.first_response_at == post.created_at
    assert thread.status == Thread.Status.ANSWERED


def test_customer_cannot_post_an_official_answer(thread, customer):
    post = reply(customer, thread, "我觉得应该这样。", official=True)

    assert not post.is_official


def test_new_member_waits_for_approval_on_a_pre_moderated_board(client, make_board):
    board = make_board(posting_policy=BoardPage.PostingPolicy.NEW_MEMBERS_MODERATED)
    newcomer = UserFactory()
    client.force_login(newcomer)

    response = client.post(f"{board.url}new/", {"title": "第一次提问", "body": "你好"}, follow=True)

    thread = Thread.objects.get(board=board)
    assert thread.state == "pending"
    assert thread.last_post_id is None
    assert zh("Your question is waiting for a moderator's approval. Only you can see it until then.") in (
        response.content.decode()
    )


def test_everything_pre_moderated_board_holds_even_veterans(make_board, veteran):
    board = make_board(posting_policy=BoardPage.PostingPolicy.ALL_MODERATED)

    written = actions.create_thread(veteran, board, title="标题", body="内容", check_limits=False)

    assert written.pending
    assert written.thread.reply_count == 0


def test_staff_only_board_refuses_customer_threads_but_not_moderators(make_board, customer, moderator):
    board = make_board(posting_policy=BoardPage.PostingPolicy.STAFF_ONLY)

    with pytest.raises(ActionRefused) as refused:
        actions.create_thread(customer, board, title="标题", body="内容")
    written = actions.create_thread(moderator, board, title="系统维护公告", body="本周六凌晨维护。")

    assert refused.value.message == "Only staff start threads on this board."
    assert written.thread.state == "published"
    assert written.thread.first_response_at is not None


def test_read_only_board_refuses_customers(make_board, customer):
    board = make_board(read_only=True)

    with pytest.raises(ActionRefused) as refused:
        actions.create_thread(customer, board, title="标题", body="内容")

    assert refused.value.message == "This board is read-only."


def test_locked_thread_refuses_replies(thread, customer, moderator):
    actions.lock_thread(moderator, thread, "")

    with pytest.raises(ActionRefused) as refused:
        reply(customer, thread, "还能回复吗")

    assert refused.value.message == "This thread is closed for replies."


def test_personal_data_is_masked_before_saving_and_the_poster_is_told(client, board, veteran):
    client.force_login(veteran)

    response = client.post(
        f"{board.url}new/",
        {"title": "卡 6222021234567894 被冻结", "body": "我的手机 13812345678，身份证 110101199003074514。"},
        follow=True,
    )

    thread = Thread.objects.get(board=board)
    post = thread.opening_post
    assert thread.title == "卡 ************7894 被冻结"
    assert post.body == "我的手机 138****5678，身份证 110*************14。"
    assert "13812345678" not in response.content.decode()
    assert post.masked_kinds == ["card", "id_number", "mobile"]
    from django.utils import translation

    with translation.override("zh-hans"):
        expected = mask_personal_data("4111111111111111 13812345678 110101199003074514").message()
    assert expected in response.content.decode()


def test_rate_limit_keeps_the_typed_text(client, thread, veteran, settings):
    settings.PORTAL_FORUM_RATE_LIMITS = [("user", 2, 60)]
    client.force_login(veteran)
    for number in range(2):
        assert client.post(thread.get_absolute_url(), {"body": f"第{number}条回复"}).status_code == 302

    response = client.post(thread.get_absolute_url(), {"body": "第三条：这段文字不能丢"})

    assert response.status_code == 429
    content = response.content.decode()
    assert zh("You are posting too quickly. Please wait a little and try again; your text is kept below.") in content
    assert "第三条：这段文字不能丢</textarea>" in content
    assert Post.objects.filter(thread=thread, is_opening=False).count() == 2


def test_rate_limit_per_address_holds_across_accounts(client, thread, settings):
    settings.PORTAL_FORUM_RATE_LIMITS = [("ip", 1, 60)]
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    client.post(thread.get_absolute_url(), {"body": "一"}, REMOTE_ADDR="203.0.113.7")
    client.force_login(second)

    response = client.post(thread.get_absolute_url(), {"body": "二"}, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 429


def test_moderators_are_not_rate_limited(thread, moderator, settings):
    settings.PORTAL_FORUM_RATE_LIMITS = [("user", 1, 60)]
    for number in range(3):
        actions.create_reply(moderator, thread, body=f"官方回复 {number}")

    assert Post.objects.filter(thread=thread, author=moderator).count() == 3


def test_duplicate_post_is_refused_with_the_text_kept(client, thread, customer):
    client.force_login(customer)
    client.post(thread.get_absolute_url(), {"body": "请问 怎么 办？"})

    response = client.post(thread.get_absolute_url(), {"body": "请问   怎么办？".replace("怎么办", "怎么 办")})

    assert response.status_code == 400
    assert (
        zh("You have already posted this text. Please do not post the same thing twice.") in response.content.decode()
    )
    assert "请问   怎么 办？</textarea>" in response.content.decode()


def test_new_accounts_are_limited_in_links(client, thread):
    newcomer = UserFactory()
    client.force_login(newcomer)

    response = client.post(
        thread.get_absolute_url(), {"body": "看 [这里](https://a.example.com) 和 [那里](https://b.example.com)"}
    )

    assert response.status_code == 400
    message = zh("New members may include at most %(count)d link(s) in a post. Please remove some links.", html=False)
    assert escape(message % {"count": 1}) in response.content.decode()


def test_new_accounts_are_limited_in_pictures(thread):
    newcomer = UserFactory()

    with pytest.raises(ActionRefused) as refused:
        actions.create_reply(newcomer, thread, body="两张图", images=[png(), png()])

    assert refused.value.message == "You may attach at most 1 picture(s) to a post."


def test_trusted_members_are_not_new(veteran, thread):
    from forum.policies import ForumPolicy

    for number in range(3):
        reply(veteran, thread, f"第 {number} 条")
    ForumPolicy.forget(veteran)

    assert not ForumPolicy.is_new_account(veteran)


def test_picture_is_reencoded_without_metadata(thread, veteran):
    written = actions.create_reply(veteran, thread, body="截图如下", images=[png(exif=True)], check_limits=False)

    attachment = Attachment.objects.get(post=written.post)
    with Image.open(attachment.image.path) as stored:
        assert not stored.getexif()
    assert attachment.image.name.startswith("forum/")
    assert "photo" not in attachment.image.name
    assert (attachment.width, attachment.height) == (40, 30)


def test_a_refused_picture_writes_nothing(client, thread, veteran):
    before = media_files()
    client.force_login(veteran)
    bogus = SimpleUploadedFile("x.png", b"<script>alert(1)</script>", content_type="image/png")

    response = client.post(thread.get_absolute_url(), {"body": "看图", "images": [bogus]})

    assert response.status_code == 400
    assert zh("This file is not a picture we can read.") in response.content.decode()
    assert "看图</textarea>" in response.content.decode()
    assert media_files() == before
    assert not Post.objects.filter(thread=thread, is_opening=False).exists()


def test_a_failed_save_leaves_no_orphan_file(thread, veteran, monkeypatch):
    before = media_files()

    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(posting, "announce", boom)
    with pytest.raises(RuntimeError):
        actions.create_reply(veteran, thread, body="带图", images=[png()], check_limits=False)

    assert media_files() == before
    assert not Attachment.objects.exists()


def test_author_edits_within_the_window_and_history_is_kept(thread, veteran):
    post = thread.opening_post

    actions.edit_post(veteran, post, body="更新：已经解决了。", title="网银登录问题（已解决）")

    post.refresh_from_db()
    thread.refresh_from_db()
    revision = PostRevision.objects.get(post=post)
    assert (post.body, post.edit_count) == ("更新：已经解决了。", 1)
    assert thread.title == "网银登录问题（已解决）"
    assert (revision.body, revision.title, revision.edited_by) == (
        "登录时提示证书错误。",
        "网银登录不了怎么办？",
        veteran,
    )


def test_author_cannot_edit_after_the_window(thread, veteran):
    later = timezone.now() + timedelta(minutes=31)

    with pytest.raises(ActionRefused) as refused:
        actions.edit_post(veteran, thread.opening_post, body="改", now=later)

    assert refused.value.message == "You can no longer edit this post."


def test_edit_history_is_for_the_author_and_moderators_only(client, thread, veteran, customer, moderator):
    actions.edit_post(veteran, thread.opening_post, body="新内容")
    url = f"/forum/posts/{thread.opening_post_id}/history/"

    client.force_login(customer)
    assert client.get(url).status_code == 403
    client.force_login(veteran)
    assert client.get(url).status_code == 200
    client.force_login(moderator)
    assert "登录时提示证书错误。" in client.get(url).content.decode()


def test_author_deletes_own_reply_softly(thread, customer):
    post = reply(customer, thread, "发错了")

    actions.delete_own_post(customer, post)

    thread.refresh_from_db()
    assert Post.objects.get(pk=post.pk).state == "deleted"
    assert (thread.reply_count, thread.last_post_id) == (0, thread.opening_post_id)


def test_asker_cannot_delete_a_question_that_has_replies(thread, veteran, customer):
    reply(customer, thread, "回复")
    thread.refresh_from_db()

    with pytest.raises(ActionRefused):
        actions.delete_own_post(veteran, thread.opening_post)


def test_quote_prefills_the_reply_box(client, thread, customer):
    client.force_login(customer)

    response = client.get(f"{thread.get_absolute_url()}?quote={thread.opening_post_id}")

    assert "&gt; **老用户**:\n&gt;\n&gt; 登录时提示证书错误。" in response.content.decode()


def test_suspended_member_cannot_post(thread, customer, moderator):
    actions.suspend_user(moderator, customer, 3, "辱骂他人")

    with pytest.raises(ActionRefused) as refused:
        reply(customer, thread, "我回来了")

    assert refused.value.message.startswith("Your account is suspended from posting until ")


def test_thread_page_follows_a_members_sanction_as_it_changes(client, thread, customer, moderator):
    """The page learns of the reader's sanction with the thread's own row: a warning leaves the reply box, a
    suspension takes it (and the report buttons) away at once, an ended or lifted one gives it back."""
    from django.utils import translation

    from forum.models import Sanction

    with translation.override("zh-hans"):
        suspended = translation.gettext("Your account is suspended from posting until %(until)s.").split("%")[0]
        banned = translation.gettext("Your account is banned from posting in the forum.")
    other = reply(UserFactory(), thread, "别人的回复")
    client.force_login(customer)

    def page():
        return client.get(thread.get_absolute_url()).content.decode()

    actions.warn_user(moderator, customer, "请文明发言")
    body = page()
    assert 'name="body"' in body and f"/forum/posts/{other.pk}/flag/" in body

    actions.suspend_user(moderator, customer, 3, "辱骂他人")
    body = page()
    assert suspended in body
    assert 'name="body"' not in body and f"/forum/posts/{other.pk}/flag/" not in body

    Sanction.objects.filter(user=customer, kind="suspension").update(ends_at=timezone.now() - timedelta(minutes=1))
    assert 'name="body"' in page()

    actions.ban_user(moderator, customer, "屡教不改")
    assert banned in page()
    actions.lift_sanctions(moderator, customer)
    body = page()
    assert 'name="body"' in body and banned not in body


def test_empty_and_overlong_text_is_refused(thread, customer, settings):
    settings.PORTAL_FORUM_MAX_POST_CHARS = 10
    with pytest.raises(ActionRefused) as empty:
        reply(customer, thread, "   ")
    with pytest.raises(ActionRefused) as long:
        reply(customer, thread, "长" * 11)

    assert empty.value.message == "Please write something first."
    assert long.value.message == "Your text is too long (10 characters at most)."


def test_anonymous_reader_is_sent_to_sign_in_to_post(client, thread, board):
    response = client.post(thread.get_absolute_url(), {"body": "匿名"})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.get(f"{board.url}new/").status_code == 302
