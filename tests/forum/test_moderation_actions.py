"""Every moderator action is one function in forum/actions.py and leaves an audit entry (who, what, when, why)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum import actions
from forum.actions import ActionRefused
from forum.models import AuditEntry, BoardPage, Flag, Post, Sanction, Subscription, Thread
from tests.factories import UserFactory
from tests.forum.conftest import reply

pytestmark = pytest.mark.django_db


def last_audit():
    return AuditEntry.objects.order_by("-id").first()


def assert_audit(actor, action, reason="", thread=None, post=None, target_user=None):
    entry = last_audit()
    assert (entry.actor, entry.action, entry.reason) == (actor, action, reason)
    if thread is not None:
        assert entry.thread_id == thread.pk
    if post is not None:
        assert entry.post_id == post.pk
    if target_user is not None:
        assert entry.target_user_id == target_user.pk
    assert timezone.now() - entry.created_at < timedelta(minutes=1)
    return entry


@pytest.fixture
def pending_board(make_board):
    return make_board(posting_policy=BoardPage.PostingPolicy.ALL_MODERATED)


def test_approve_publishes_a_pending_reply_and_counts_it(thread, customer, moderator, pending_board):
    thread.board = pending_board  # the thread's board pre-moderates replies
    Thread.objects.filter(pk=thread.pk).update(board=pending_board)
    post = reply(customer, thread, "等待审核的回复")
    assert post.state == "pending"

    actions.approve_post(moderator, post, "内容正常")

    thread.refresh_from_db()
    assert Post.objects.get(pk=post.pk).state == "published"
    assert (thread.reply_count, thread.last_post_id) == (1, post.pk)
    assert_audit(moderator, "approve", "内容正常", thread=thread, post=post, target_user=customer)


def test_approving_an_opening_post_publishes_the_thread(make_thread, moderator, pending_board):
    thread = make_thread(target=pending_board)
    assert thread.state == "pending"

    actions.approve_post(moderator, thread.opening_post)

    thread.refresh_from_db()
    assert thread.state == "published"
    assert thread.last_post_id == thread.opening_post_id


def test_reject_needs_a_reason_and_keeps_the_thread_from_customers(make_thread, moderator, pending_board):
    thread = make_thread(target=pending_board)

    with pytest.raises(ActionRefused) as refused:
        actions.reject_post(moderator, thread.opening_post, "")
    actions.reject_post(moderator, thread.opening_post, "广告")

    thread.refresh_from_db()
    assert refused.value.message == "Please give a reason; it goes into the audit log."
    assert thread.state == "rejected"
    assert_audit(moderator, "reject", "广告", thread=thread, post=thread.opening_post)


def test_approving_twice_is_refused(make_thread, moderator, pending_board):
    thread = make_thread(target=pending_board)
    actions.approve_post(moderator, thread.opening_post)

    with pytest.raises(ActionRefused) as refused:
        actions.approve_post(moderator, thread.opening_post)

    assert refused.value.status == 409


def test_hide_and_unhide_a_reply_keep_counters_exact(thread, customer, moderator):
    first = reply(customer, thread, "第一条")
    second = reply(customer, thread, "第二条")

    actions.hide_post(moderator, second, "人身攻击")
    thread.refresh_from_db()
    assert (thread.reply_count, thread.last_post_id) == (1, first.pk)
    assert_audit(moderator, "hide", "人身攻击", thread=thread, post=second, target_user=customer)

    actions.unhide_post(moderator, second, "误判")
    thread.refresh_from_db()
    assert (thread.reply_count, thread.last_post_id) == (2, second.pk)
    assert_audit(moderator, "unhide", "误判", post=second)


def test_hiding_the_question_hides_the_thread(thread, moderator):
    actions.hide_post(moderator, thread.opening_post, "含个人信息")

    thread.refresh_from_db()
    assert thread.state == "hidden"


@pytest.mark.parametrize(
    ("function", "field", "value", "action"),
    [
        (actions.lock_thread, "is_locked", True, "lock"),
        (actions.pin_thread, "is_pinned", True, "pin"),
    ],
)
def test_lock_and_pin_and_their_reverse(thread, moderator, function, field, value, action):
    function(moderator, thread, "理由")
    thread.refresh_from_db()
    assert getattr(thread, field) is value
    assert_audit(moderator, action, "理由", thread=thread)

    reverse = {"lock": actions.unlock_thread, "pin": actions.unpin_thread}[action]
    reverse(moderator, thread, "")
    thread.refresh_from_db()
    assert getattr(thread, field) is not value
    assert_audit(moderator, "un" + action, "", thread=thread)


def test_close_and_reopen(thread, moderator):
    actions.close_thread(moderator, thread, "已解决")
    thread.refresh_from_db()
    assert thread.status == "closed"
    assert_audit(moderator, "close", "已解决", thread=thread)

    actions.reopen_thread(moderator, thread, "")
    thread.refresh_from_db()
    assert thread.status == "open"
    assert_audit(moderator, "reopen", thread=thread)


def test_move_to_another_board_recomputes_the_target(thread, moderator, make_board):
    other = make_board(title="信用卡", first_response_hours=8)

    actions.move_thread(moderator, thread, other, "发错版块")

    thread.refresh_from_db()
    assert thread.board_id == other.pk
    assert thread.sla_due_at == thread.created_at + timedelta(hours=8)
    entry = assert_audit(moderator, "move", "发错版块", thread=thread)
    assert entry.data["to"] == other.pk


def test_moved_thread_redirects_from_its_old_address(client, thread, moderator, make_board):
    old_url = thread.get_absolute_url()
    other = make_board(title="另一个版块")
    actions.move_thread(moderator, thread, other)
    thread.refresh_from_db()

    response = client.get(old_url)

    assert response.status_code == 302
    assert response["Location"].startswith(other.url)


def test_merge_moves_every_post_and_redirects(client, make_thread, customer, moderator):
    target = make_thread(title="U盾无法识别")
    source = make_thread(title="U盾插上没反应")
    reply(customer, source, "我也是")
    Subscription.objects.create(user=UserFactory(), thread=source)

    actions.merge_threads(moderator, source, target, "重复问题")

    source.refresh_from_db()
    target.refresh_from_db()
    assert source.state == "merged"
    assert source.merged_into_id == target.pk
    assert Post.objects.filter(thread=target).count() == 3
    assert Post.objects.filter(thread=target, is_opening=True).count() == 1
    assert (target.reply_count, source.reply_count) == (2, 0)
    assert Subscription.objects.filter(thread=target).count() == 3
    assert_audit(moderator, "merge", "重复问题", thread=target)
    response = client.get(source.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].endswith(f"/t/{target.pk}/") or f"/t/{target.pk}-" in response["Location"]


def test_merge_into_itself_is_refused(thread, moderator):
    with pytest.raises(ActionRefused):
        actions.merge_threads(moderator, thread, thread)


def test_split_makes_a_new_thread_from_chosen_replies(thread, customer, moderator):
    keep = reply(customer, thread, "相关回复")
    off_topic = reply(customer, thread, "另一个问题：信用卡年费？")
    answer = reply(moderator, thread, "年费可以用积分抵扣。")

    new = actions.split_thread(moderator, thread, [off_topic.pk, answer.pk], "信用卡年费", "跑题")

    thread.refresh_from_db()
    new.refresh_from_db()
    assert new.opening_post_id == off_topic.pk
    assert new.author == customer
    assert (new.reply_count, new.first_response_at) == (1, Post.objects.get(pk=answer.pk).created_at)
    assert new.status == "answered"
    assert (thread.reply_count, thread.last_post_id) == (1, keep.pk)
    entry = assert_audit(moderator, "split", "跑题", thread=thread)
    assert entry.data == {"new_thread": new.pk, "posts": [off_topic.pk, answer.pk]}


def test_close_as_duplicate_of_a_thread_or_an_article(make_thread, moderator):
    original = make_thread(title="原帖")
    duplicate = make_thread(title="重复帖")
    another = make_thread(title="另一个重复帖")

    actions.close_as_duplicate(moderator, duplicate, duplicate_of=original, reason="已有答案")
    actions.close_as_duplicate(moderator, another, url="/faq/e-banking/usb-key/")

    duplicate.refresh_from_db()
    another.refresh_from_db()
    assert (duplicate.status, duplicate.duplicate_of_id) == ("closed", original.pk)
    assert (another.status, another.duplicate_url) == ("closed", "/faq/e-banking/usb-key/")
    assert_audit(moderator, "duplicate", "", thread=another)
    with pytest.raises(ActionRefused):
        actions.close_as_duplicate(moderator, another, url="javascript:alert(1)")


def test_moderator_edit_needs_a_reason_and_is_audited(thread, moderator, veteran):
    with pytest.raises(ActionRefused):
        actions.edit_post(moderator, thread.opening_post, body="删去了广告链接")

    actions.edit_post(moderator, thread.opening_post, body="删去了广告链接", reason="移除广告")

    post = Post.objects.get(pk=thread.opening_post_id)
    assert post.body == "删去了广告链接"
    assert post.revisions.get().reason == "移除广告"
    assert_audit(moderator, "edit", "移除广告", post=post, target_user=veteran)


def test_moderator_can_edit_after_the_window(thread, moderator):
    later = timezone.now() + timedelta(days=30)

    actions.edit_post(moderator, thread.opening_post, body="整理格式", reason="格式", now=later)

    assert Post.objects.get(pk=thread.opening_post_id).body == "整理格式"


def test_warn_suspend_ban_and_lift(moderator, customer, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.warn_user(moderator, customer, "请文明发言")
    assert_audit(moderator, "warn", "请文明发言", target_user=customer)
    assert len(mailoutbox) == 1

    actions.suspend_user(moderator, customer, 7, "多次发广告")
    sanction = Sanction.objects.get(kind="suspension")
    assert sanction.ends_at - sanction.created_at == timedelta(days=7)
    entry = assert_audit(moderator, "suspend", "多次发广告", target_user=customer)
    assert entry.data["until"] == sanction.ends_at.isoformat()

    actions.ban_user(moderator, customer, "诈骗")
    assert_audit(moderator, "ban", "诈骗", target_user=customer)

    assert actions.lift_sanctions(moderator, customer, "申诉通过") == 2
    assert_audit(moderator, "lift", "申诉通过", target_user=customer)


def test_moderators_cannot_sanction_each_other(moderator, make_staff):
    other = make_staff("Moderators")

    with pytest.raises(ActionRefused):
        actions.ban_user(moderator, other, "试试")


def test_customer_cannot_run_moderator_actions(thread, customer):
    for function in (actions.lock_thread, actions.pin_thread, actions.close_thread):
        with pytest.raises(ActionRefused) as refused:
            function(customer, thread, "")
        assert refused.value.message == "Only moderators of this board can do that."
    assert not AuditEntry.objects.filter(actor=customer).exists()


def test_flags_auto_hide_after_the_threshold_and_are_audited(thread, customer, settings):
    settings.PORTAL_FORUM_AUTO_HIDE_FLAGS = 2
    post = reply(customer, thread, "垃圾广告")

    assert actions.flag_post(UserFactory(), post, Flag.Reason.SPAM) is False
    assert actions.flag_post(UserFactory(), post, Flag.Reason.ABUSE, "骂人") is True

    post.refresh_from_db()
    thread.refresh_from_db()
    assert (post.state, post.hidden_reason, post.flag_count) == ("hidden", "flags", 2)
    assert thread.reply_count == 0
    entry = assert_audit(None, "auto_hide", "2 reports", post=post)
    assert entry.actor is None


def test_one_flag_per_reader(thread, customer):
    post = reply(customer, thread, "内容")
    reader = UserFactory()
    actions.flag_post(reader, post, "spam")

    with pytest.raises(ActionRefused) as refused:
        actions.flag_post(reader, post, "spam")

    assert refused.value.message == "You have already reported this post."


def test_dismissing_flags_shows_an_auto_hidden_post_again(thread, customer, moderator, settings):
    settings.PORTAL_FORUM_AUTO_HIDE_FLAGS = 1
    post = reply(customer, thread, "正常内容")
    actions.flag_post(UserFactory(), post, "off_topic")

    actions.resolve_flags(moderator, post, uphold=False, reason="内容正常")

    post.refresh_from_db()
    assert (post.state, post.flag_count) == ("published", 0)
    assert Flag.objects.get(post=post).outcome == "dismissed"
    assert_audit(moderator, "dismiss_flags", "内容正常", post=post)


def test_upholding_flags_hides_the_post(thread, customer, moderator):
    post = reply(customer, thread, "广告")
    actions.flag_post(UserFactory(), post, "spam")

    actions.resolve_flags(moderator, post, uphold=True, reason="确认是广告")

    post.refresh_from_db()
    assert post.state == "hidden"
    assert Flag.objects.get(post=post).outcome == "upheld"
    assert_audit(moderator, "hide", "确认是广告", post=post)


def test_claim_is_exclusive_until_it_lapses(thread, moderator, make_staff):
    other = make_staff("Moderators", display_name="版主小王")
    actions.claim_thread(moderator, thread)
    assert_audit(moderator, "claim", thread=thread)

    with pytest.raises(ActionRefused) as refused:
        actions.claim_thread(other, thread)
    assert refused.value.message == "版主小林 is already answering this thread."

    later = timezone.now() + timedelta(minutes=31)
    actions.claim_thread(other, thread, now=later)
    thread.refresh_from_db()
    assert thread.claimed_by == other

    actions.release_thread(other, thread)
    thread.refresh_from_db()
    assert thread.claimed_by is None
    assert_audit(other, "release", thread=thread)


def test_answering_releases_the_claim(thread, moderator):
    actions.claim_thread(moderator, thread)

    reply(moderator, thread, "已处理")

    thread.refresh_from_db()
    assert thread.claimed_by is None


def test_moderator_accepting_for_the_asker_is_audited(thread, moderator, customer):
    answer = reply(customer, thread, "试试重启浏览器")

    actions.accept_answer(moderator, answer)

    assert_audit(moderator, "accept", post=answer)
    actions.unaccept_answer(moderator, thread)
    assert_audit(moderator, "unaccept", thread=thread)


def test_audit_log_page_lists_entries_for_moderators_only(client, thread, moderator, customer):
    actions.lock_thread(moderator, thread, "<script>alert(1)</script>")

    client.force_login(customer)
    assert client.get("/forum/moderation/audit/").status_code == 403
    client.force_login(moderator)
    response = client.get("/forum/moderation/audit/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<script>alert(1)" not in content


def test_moderation_forms_on_the_site_call_the_actions(client, thread, moderator, customer):
    post = reply(customer, thread, "广告 http://spam.example.com")
    client.force_login(moderator)

    response = client.post(f"/forum/posts/{post.pk}/hide/", {"reason": "广告"})
    client.post(f"/forum/threads/{thread.pk}/pin/", {"reason": ""})
    client.post(f"/forum/threads/{thread.pk}/close/", {"reason": "完结"})

    thread.refresh_from_db()
    assert response.status_code == 302
    assert Post.objects.get(pk=post.pk).state == "hidden"
    assert (thread.is_pinned, thread.status) == (True, "closed")
    assert list(AuditEntry.objects.filter(thread=thread).order_by("id").values_list("action", flat=True)) == [
        "hide",
        "pin",
        "close",
    ]


def test_sanction_form(client, moderator, customer):
    client.force_login(moderator)

    response = client.post(f"/forum/moderation/users/{customer.pk}/", {"kind": "suspend", "days": 3, "reason": "刷屏"})

    assert response.status_code == 302
    assert Sanction.objects.get(user=customer).kind == "suspension"
