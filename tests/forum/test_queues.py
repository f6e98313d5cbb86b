"""Moderator queues: pending, flagged, unanswered by SLA (time left, breaches, claims), "my boards"; admin menu."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from forum import actions, queries
from forum.models import BoardPage, Thread
from tests.factories import UserFactory
from tests.forum.conftest import reply, zh

pytestmark = pytest.mark.django_db


def test_sla_queue_orders_by_time_left_and_highlights_breaches(client, board, make_thread, moderator):
    late = make_thread(title="已超时的问题")
    Thread.objects.filter(pk=late.pk).update(sla_due_at=timezone.now() - timedelta(hours=2, minutes=5))
    soon = make_thread(title="快到时限的问题")
    answered = make_thread(title="已回复的问题")
    reply(moderator, answered, "已处理")
    client.force_login(moderator)

    content = client.get("/forum/moderation/sla/").content.decode()

    assert content.index("已超时的问题") < content.index("快到时限的问题")
    assert "已回复的问题" not in content
    assert "is-breached" in content
    assert zh("%(h)s h %(m)s min overdue", html=False) % {"h": 2, "m": 5} in content  # 2 h 5 min (and seconds)
    page = queries.sla_queue(moderator)
    assert [row.thread.pk for row in page.rows if row.thread.board_id == board.pk] == [late.pk, soon.pk]
    assert page.totals["breached"] >= 1


def test_sla_queue_pages_through_every_waiting_thread_once(client, board, make_thread, moderator, settings):
    settings.PORTAL_FORUM_SLA_PAGE_SIZE = 3
    titles = {make_thread(title=f"排队问题 {n}").title for n in range(7)}
    client.force_login(moderator)
    seen, url = [], "/forum/moderation/sla/"
    while url:
        content = client.get(url).content.decode()
        seen += re.findall(r"排队问题 \d", content)
        following = re.search(r'href="([^"]+)" rel="next"', content)
        url = "/forum/moderation/sla/" + following.group(1).replace("&amp;", "&") if following else None
    assert sorted(seen) == sorted(titles)


def test_claim_from_the_queue_shows_who_is_answering(client, thread, moderator, make_staff):
    client.force_login(moderator)
    client.post(f"/forum/threads/{thread.pk}/claim/", {"next": "/forum/moderation/sla/"})
    other = make_staff("Moderators")
    client.force_login(other)

    content = client.get("/forum/moderation/sla/").content.decode()
    refused = client.post(f"/forum/threads/{thread.pk}/claim/", follow=True)

    assert zh("Claimed by %(name)s", html=False) % {"name": "版主小林"} in content
    assert (
        zh("%(name)s is already answering this thread.", html=False) % {"name": "版主小林"} in refused.content.decode()
    )


def test_my_boards_lists_only_boards_i_am_named_on(client, make_board, make_thread, moderator):
    mine = make_board(title="我的版块")
    mine.moderators.add(moderator)
    mine.save_revision().publish()
    other = make_board(title="别人的版块")
    make_thread(title="我版块的问题", target=mine)
    make_thread(title="别人版块的问题", target=other)
    client.force_login(moderator)

    everything = client.get("/forum/moderation/sla/").content.decode()
    only_mine = client.get("/forum/moderation/sla/?mine=1").content.decode()

    assert "我版块的问题" in everything and "别人版块的问题" in everything
    assert "我版块的问题" in only_mine and "别人版块的问题" not in only_mine


def test_board_listed_staff_moderate_only_their_board(make_board, make_thread, make_staff):
    agent = make_staff("Agents")
    mine, other = make_board(title="甲"), make_board(title="乙")
    mine.moderators.add(agent)
    mine.save_revision().publish()
    mine = BoardPage.objects.get(pk=mine.pk)
    thread_mine = make_thread(target=mine)
    thread_other = make_thread(target=other)

    actions.lock_thread(agent, thread_mine, "")
    with pytest.raises(actions.ActionRefused):
        actions.lock_thread(agent, thread_other, "")


def test_pending_queue_approves_and_rejects(client, make_board, make_thread, moderator):
    board = make_board(posting_policy=BoardPage.PostingPolicy.ALL_MODERATED)
    first = make_thread(title="待审一", target=board, author=UserFactory())
    second = make_thread(title="待审二", target=board, author=UserFactory())
    client.force_login(moderator)

    listed = client.get("/forum/moderation/pending/").content.decode()
    client.post(f"/forum/posts/{first.opening_post_id}/approve/", {"next": "/forum/moderation/pending/"})
    client.post(f"/forum/posts/{second.opening_post_id}/reject/", {"reason": "广告"})

    assert "待审一" in listed and "待审二" in listed
    assert Thread.objects.get(pk=first.pk).state == "published"
    assert Thread.objects.get(pk=second.pk).state == "rejected"
    assert "待审一" not in client.get("/forum/moderation/pending/").content.decode()


def test_flagged_queue_shows_reasons_and_resolves(client, thread, moderator):
    post = reply(UserFactory(), thread, "可疑内容")
    actions.flag_post(UserFactory(display_name="举报人"), post, "spam", "像是广告")
    client.force_login(moderator)

    listed = client.get("/forum/moderation/flagged/").content.decode()
    client.post(f"/forum/posts/{post.pk}/dismiss/", {"reason": "正常"})

    assert "可疑内容" in listed and "像是广告" in listed and "举报人" in listed
    assert "可疑内容" not in client.get("/forum/moderation/flagged/").content.decode()


def test_queues_are_closed_to_customers_and_anonymous(client, customer):
    assert client.get("/forum/moderation/sla/").status_code == 302
    client.force_login(customer)
    for url in (
        "/forum/moderation/sla/",
        "/forum/moderation/pending/",
        "/forum/moderation/flagged/",
        "/forum/moderation/audit/",
    ):
        assert client.get(url).status_code == 403


def test_queues_are_reachable_from_the_wagtail_admin(client, moderator):
    client.force_login(moderator)

    content = client.get("/admin/").content.decode()

    assert "/forum/moderation/sla/" in content
    assert "/forum/moderation/audit/" in content


def test_moderator_sees_badge_counts(client, make_board, make_thread, moderator):
    board = make_board(posting_policy=BoardPage.PostingPolicy.ALL_MODERATED)
    make_thread(target=board, author=UserFactory())
    client.force_login(moderator)

    counts = queries.queue_counts(moderator)

    assert counts["pending"] >= 1


def test_sla_tab_badge_counts_every_breach_of_my_boards_on_both_scopes(
    client, make_board, make_thread, moderator, settings
):
    settings.PORTAL_FORUM_SLA_PAGE_SIZE = 1000  # one page lists every waiting thread
    mine, other = make_board(title="我的版块"), make_board(title="别人的版块")
    mine.moderators.add(moderator)
    mine.save_revision().publish()
    late = [make_thread(title=f"超时 {n}", target=mine if n == 0 else other) for n in range(3)]
    make_thread(title="未超时", target=other)
    Thread.objects.filter(pk__in=[t.pk for t in late]).update(sla_due_at=timezone.now() - timedelta(hours=1))
    client.force_login(moderator)

    everything = client.get("/forum/moderation/sla/").content.decode()
    only_mine = client.get("/forum/moderation/sla/?mine=1").content.decode()

    def badge(html):
        return int(re.search(r'<span class="forum-count forum-count-danger">(\d+)</span>', html).group(1))

    # The tab counts every breach the moderator may see (the demo's boards too), whichever scope is listed.
    assert badge(everything) == badge(only_mine) == everything.count("is-breached") >= 3
    assert only_mine.count("is-breached") == 1
