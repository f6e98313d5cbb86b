# ruff: noqa: E501 - demo texts read best on one line each
"""Demo content of the message board, in both languages: every kind, channel and status; some answered and
rated, two past their answer time, one VIP, one from SMS, one logged from a call; canned responses.

Idempotent: each demo message has a fixed submit key (or SMS signature), so a second build adds nothing.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.intake import actions
from portal.intake.models import CannedResponse, InboundSms, Message

CANNED = [
    (
        "zh-hans",
        "已处理",
        "inquiry",
        "您好，感谢您的留言。您反映的问题我们已处理完毕，如仍有疑问请随时回复本留言或致电客服热线 40088-00000。",
    ),
    (
        "zh-hans",
        "需要更多信息",
        "",
        "您好，为尽快帮您处理，请在跟踪页面补充：发生问题的时间、使用的渠道（网银/手机银行）以及页面提示的原文。请勿提供密码或验证码。",
    ),
    (
        "zh-hans",
        "投诉致歉",
        "complaint",
        "您好，对给您带来的不便我们深表歉意。您的投诉已转交相关部门核实，我们会在处理完成后第一时间答复您。",
    ),
    (
        "en",
        "Resolved",
        "inquiry",
        "Hello, thank you for your message. We have dealt with the issue you raised; reply here or call 40088-00000 if anything is still unclear.",
    ),
    (
        "en",
        "Need more details",
        "",
        "Hello, to help you quickly please add on the tracking page: when it happened, the channel (online or mobile banking) and the exact message you saw. Never send passwords or codes.",
    ),
    (
        "en",
        "Apology for a complaint",
        "complaint",
        "Hello, we are sorry for the trouble. Your complaint has gone to the team concerned, and we will answer as soon as they have checked it.",
    ),
]

# key, language, kind, category, subject, body, name, email, phone, hours ago, outcome
# outcome: "" (new), "assigned", "answered", "closed", rating scores ("rated:very_satisfied"), "dissatisfied"
MESSAGES = [
    (
        "zh-1",
        "zh-hans",
        "inquiry",
        "ebanking",
        "网银转账提示“证书已过期”",
        "今天用网银转账时提示证书已过期，请问怎么更新证书？",
        "王小明",
        "customer@example.test",
        "",
        50,
        "rated:very_satisfied",
    ),
    (
        "zh-2",
        "zh-hans",
        "complaint",
        "bank_cards",
        "ATM 吞卡后三天没人联系我",
        "上周五在 ATM 取款时卡被吞，网点说会联系我，但三天过去了还没有消息。我的卡号是 6222 0212 3456 7890 128。",
        "李女士",
        "",
        "+8613912345678",
        72,
        "",
    ),
    (
        "zh-3",
        "zh-hans",
        "suggestion",
        "ebanking",
        "建议手机银行增加夜间模式",
        "晚上使用手机银行屏幕太亮，建议增加夜间模式。",
        "张先生",
        "zhang@example.test",
        "",
        200,
        "closed:satisfied",
    ),
    (
        "zh-4",
        "zh-hans",
        "praise",
        "personal_finance",
        "表扬理财顾问耐心讲解",
        "理财顾问非常耐心地为我讲解了产品风险，点赞！",
        "陈阿姨",
        "chen@example.test",
        "",
        30,
        "answered",
    ),
    (
        "zh-5",
        "zh-hans",
        "complaint",
        "credit",
        "信用卡年费未经同意被扣",
        "我的信用卡没有通知就扣了年费，希望退还。",
        "赵先生",
        "zhao@example.test",
        "",
        100,
        "dissatisfied",
    ),
    (
        "zh-vip",
        "zh-hans",
        "inquiry",
        "credit",
        "额度临时调整咨询",
        "下周出国需要临时提高信用卡额度，请尽快联系我。",
        "VIP 客户周女士",
        "vip@example.test",
        "+8613700001111",
        2,
        "assigned",
    ),
    (
        "en-1",
        "en",
        "inquiry",
        "ebanking",
        "Cannot log in to online banking",
        "Since yesterday the login page says my USB key is not recognised.",
        "Alex Chen",
        "customer.en@example.test",
        "",
        40,
        "rated:satisfied",
    ),
    (
        "en-2",
        "en",
        "complaint",
        "credit",
        "Charged twice for one purchase",
        "My credit card statement shows the same purchase twice. Please refund one of them.",
        "Sam Lee",
        "sam@example.test",
        "",
        60,
        "assigned",
    ),
    (
        "en-3",
        "en",
        "suggestion",
        "other",
        "Longer hotline hours for English speakers",
        "Please keep English-speaking agents on the hotline later in the evening.",
        "Jo Park",
        "",
        "+8613600002222",
        10,
        "",
    ),
    (
        "en-4",
        "en",
        "praise",
        "bank_cards",
        "Fast card replacement",
        "My lost card was replaced in two days. Thank you!",
        "Kim Wong",
        "kim@example.test",
        "",
        300,
        "closed:very_satisfied",
    ),
]

REPLIES = {
    "zh-hans": "您好，请登录网银后进入“安全中心 > 证书管理”按提示更新即可。如仍有问题请回复本留言。",
    "en": "Hello, please sign in and open Security centre > Certificates, then follow the steps to renew. Reply here if it still fails.",
}


def _user(email, **fields):
    User = get_user_model()
    return User.objects.filter(email=email).first()


def _vip_customer(supervisor):
    from allauth.account.models import EmailAddress

    User = get_user_model()
    user = User.objects.filter(email="vip@example.test").first()
    if user is None:
        user = User.objects.create_user("vip@example.test", None, display_name="周女士")
        EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    actions.set_vip(supervisor, user, vip=True, mobile="+8613700001111")
    return user


def build(homes):
    for language, title, kind, body in CANNED:
        CannedResponse.objects.get_or_create(title=title, language=language, defaults={"kind": kind, "body": body})
    if Message.objects.filter(submit_key="demo-zh-1").exists():
        return
    desk = _user("desk@example.test")
    supervisor = _user("supervisor@example.test")
    agent = _user("agent@example.test")
    vip = _vip_customer(supervisor)
    now = timezone.now()
    for key, language, kind, category, subject, body, name, email, phone, hours, outcome in MESSAGES:
        created_at = now - timedelta(hours=hours)
        user = _user(email) if email in ("customer@example.test", "customer.en@example.test") else None
        if email == vip.email:
            user = vip
        message, _created = actions.submit_message(
            kind=kind,
            category=category,
            subject=subject,
            body=body,
            name=name,
            email=email,
            phone=phone,
            language=language,
            user=user,
            forum_consent=key in ("zh-1", "en-1"),
            submit_key=f"demo-{key}",
            check_limits=False,
            notify=False,
            now=created_at,
        )
        state, _sep, score = outcome.partition(":")
        if state == "assigned":
            actions.assign_message(supervisor, message, desk, now=created_at + timedelta(minutes=30))
        if state in ("answered", "rated", "closed", "dissatisfied"):
            actions.claim_message(desk, message, now=created_at + timedelta(hours=1))
            actions.add_note(desk, message, "已核实客户信息。" if language == "zh-hans" else "Checked the account.")
            actions.reply_to_message(
                desk,
                message,
                REPLIES[language],
                close=state == "closed",
                notify=False,
                now=created_at + timedelta(hours=2),
            )
        reply = message.entries.filter(kind="reply").first()
        if state in ("rated", "closed") and score:
            actions.rate_reply(message, reply, score, "")
        if state == "dissatisfied":
            actions.rate_reply(message, reply, "dissatisfied", "年费问题没有解决。")
    if not InboundSms.objects.filter(signature="demo-sms-1").exists():
        actions.receive_sms(
            "+8613800003333",
            "LTK 信用卡账单日怎么修改？",
            signature="demo-sms-1",
            notify=False,
            now=now - timedelta(hours=3),
        )
    for query, url, title, language in (
        ("网银证书过期", "/kb/", "网银证书过期怎么办", "zh-hans"),
        ("lost card", "/en/kb/", "How do I report a lost card?", "en"),
    ):
        actions.record_deflection(query=query, url=url, title=title, result_kind="kb", language=language, source="js")
    if agent is not None:
        actions.log_call(
            agent,
            phone="+8613500004444",
            question="客户来电询问如何挂失借记卡，已按知识库指引完成电话挂失。",
            resolved=True,
            kind="inquiry",
            category="bank_cards",
            now=now - timedelta(hours=5),
        )
