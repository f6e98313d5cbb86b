"""Eight weeks of service history for the demo dashboard: questions on two Chinese demo boards, answered by
the demo moderator after believable delays (some late, some rated, a few reopened), and a few targets.

Called by `manage.py demo_content` (portal.demo.build_demo(history=True)); the test suite's demo leaves it
out so the other apps' tests keep their exact counts. Everything goes through forum.actions and
portal.operations.actions with explicit times, so the history is what the live site would have written.
Idempotent: a marker title says it is built. Deterministic: the delays come from a seeded generator.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

MARKER = "【运营演示】"
WEEKS = 8
BOARD_SLUGS = ("e-banking", "credit-cards")
QUESTIONS = [
    "手机银行登录提示设备未绑定",
    "信用卡账单分期手续费怎么算",
    "转账到他行多久到账",
    "U盾证书过期如何更新",
    "境外消费被拒绝怎么办",
    "修改预留手机号需要去网点吗",
]
# Questions per weekday (Monday first): busy weekdays, quiet weekends.
PROFILE = (6, 5, 5, 5, 4, 2, 1)


def build(homes=None, stdout=None):
    from forum import actions as forum_actions
    from forum.models import BoardPage, Thread
    from portal.operations import actions

    if Thread.objects.filter(title__startswith=MARKER).exists():
        return
    User = get_user_model()
    moderator = User.objects.get(email="moderator@example.test")
    manager = User.objects.filter(email="operations@example.test").first()
    asker = User.objects.get(email="customer@example.test")
    boards = list(BoardPage.objects.filter(slug__in=BOARD_SLUGS, locale__language_code="zh-hans"))
    if not boards:
        return
    for board in boards:
        board.posting_policy = BoardPage.PostingPolicy.OPEN  # in memory only: the history is of published questions
    rng = random.Random(95588)
    now = timezone.now()
    write = {"check_limits": False, "notify": False}
    start = (now - timedelta(weeks=WEEKS)).replace(hour=0, minute=0, second=0, microsecond=0)
    day = start
    while day.date() < now.date():
        for index in range(PROFILE[day.weekday()] + rng.randint(-1, 1)):
            asked = day + timedelta(hours=rng.randint(8, 21), minutes=rng.randint(0, 59))
            board = boards[index % len(boards)]
            title = f"{MARKER}{rng.choice(QUESTIONS)}"
            thread = forum_actions.create_thread(
                asker, board, title=title, body="请问具体怎么操作？", now=asked, **write
            ).thread
            delay = timedelta(minutes=rng.choice([20, 45, 90, 180, 300, 600, 1500, 2000]))
            answered = asked + delay
            if answered >= now:
                continue
            post = forum_actions.create_reply(
                moderator, thread, body="您好，请按以下步骤操作：……", now=answered, **write
            ).post
            roll = rng.random()
            if roll < 0.6:
                forum_actions.accept_answer(asker, post, notify=False)
                thread.refresh_from_db()
                forum_actions.rate_answer(asker, thread, "satisfied" if roll < 0.5 else "dissatisfied", notify=False)
            elif roll < 0.7:
                forum_actions.close_thread(moderator, thread)
                forum_actions.reopen_thread(moderator, thread, reason="客户补充了问题")
        day += timedelta(days=1)
    for metric, team, value in (
        ("sla_met_pct", "forum", 90),
        ("frt_median_hours", "forum", 4),
        ("satisfaction_pct", "", 85),
        ("search_zero_pct", "search", 10),
        ("kb_helpful_pct", "kb", 80),
    ):
        actions.set_target(manager, metric, team, value)
