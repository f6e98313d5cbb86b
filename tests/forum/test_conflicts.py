"""Two moderators acting on one post at once: the second is told, clearly, instead of overwriting the first."""

import pytest

from forum import actions
from forum.models import AuditEntry, Post
from tests.forum.conftest import reply, zh

pytestmark = pytest.mark.django_db

CONFLICT = "Another moderator has already acted on this post; the page now shows its current state."
EDIT_CONFLICT = (
    "Someone else changed this post while you were editing it. Your text is kept below: "
    "compare it with the current version and save again."
)


def test_hiding_a_post_another_moderator_approved_meanwhile_is_a_conflict(client, make_board, veteran, make_staff):
    first, second = make_staff("Moderators"), make_staff("Moderators")
    board = make_board(posting_policy="all")
    thread = actions.create_thread(veteran, board, title="待审", body="待审核的提问", check_limits=False).thread
    post = thread.opening_post
    actions.approve_post(first, post)  # the second moderator's page still shows it pending
    client.force_login(second)

    response = client.post(f"/forum/posts/{post.pk}/hide/", {"reason": "重复", "state": "pending"}, follow=True)

    assert zh(CONFLICT) in response.content.decode()
    assert Post.objects.get(pk=post.pk).state == "published"
    assert not AuditEntry.objects.filter(post=post, action="hide").exists()


def test_dismissing_reports_another_moderator_upheld_is_a_conflict(client, thread, veteran, make_staff):
    first, second = make_staff("Moderators"), make_staff("Moderators")
    post = reply(veteran, thread, "有争议的回复")
    for _reader in range(3):  # three reports hide it until a moderator looks
        actions.flag_post(make_staff("Agents"), Post.objects.get(pk=post.pk), "spam")
    actions.resolve_flags(first, Post.objects.get(pk=post.pk), uphold=True, reason="确实违规")
    client.force_login(second)

    response = client.post(f"/forum/posts/{post.pk}/dismiss/", {"state": "hidden"}, follow=True)

    assert zh(CONFLICT) in response.content.decode()
    assert Post.objects.get(pk=post.pk).state == "hidden"


def test_two_moderators_editing_one_post_the_second_save_is_a_conflict(client, thread, veteran, make_staff):
    first, second = make_staff("Moderators"), make_staff("Moderators")
    post = thread.opening_post
    opened_at = post.edit_count
    actions.edit_post(first, post, body="第一位版主的修改", reason="排版", expected_version=opened_at)
    client.force_login(second)

    response = client.post(
        f"/forum/posts/{post.pk}/edit/",
        {"title": thread.title, "body": "第二位版主的修改", "reason": "补充", "version": opened_at},
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert zh(EDIT_CONFLICT) in page
    assert "第二位版主的修改</textarea>" in page  # nothing typed is lost
    assert f'name="version" value="{opened_at + 1}"' in page  # saving again is over the current version
    assert Post.objects.get(pk=post.pk).body == "第一位版主的修改"

    again = client.post(
        f"/forum/posts/{post.pk}/edit/",
        {"title": thread.title, "body": "第二位版主的修改", "reason": "补充", "version": opened_at + 1},
    )

    assert again.status_code == 302
    assert Post.objects.get(pk=post.pk).body == "第二位版主的修改"
