# ruff: noqa: E501 - demo prose is kept one sentence per line so it reads as written
"""Demo content of the forum: the boards from the seed article and, on each, believable threads in both languages.

Every board gets an answered thread with an official, accepted and rated answer, a thread still waiting
(one of them past its first-response target), a poll, a post waiting for approval and a reported post.
Everything is written through forum/actions.py, so counters, masking and the audit log are real. Threads
are found again by board and title, so running the demo twice adds nothing. E-mail is not sent.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from forum import actions
from forum.models import BoardPage, ForumIndexPage, Post, Thread
from portal.core import roles

INDEX = {
    "zh-hans": {"title": "社区论坛", "intro": "提问、交流用卡心得，版主 7×24 小时在线解答。"},
    "en": {"title": "Community forum", "intro": "Ask questions and share tips; moderators answer around the clock."},
}

# (slug, zh title, zh description, en title, en description, first-response hours)
BOARDS = [
    (
        "e-banking",
        "网上银行",
        "个人网银、U盾、证书与登录问题",
        "Online banking",
        "Personal online banking, USB keys, certificates and sign-in",
        24,
    ),
    (
        "bank-cards",
        "银行卡",
        "借记卡开卡、挂失、密码与交易",
        "Bank cards",
        "Debit card activation, loss reporting, PINs and transactions",
        24,
    ),
    (
        "credit-cards",
        "信用卡",
        "账单、还款、分期与积分",
        "Credit cards",
        "Statements, repayments, instalments and points",
        24,
    ),
    (
        "online-funds",
        "网上基金",
        "基金申购、赎回、定投与费用",
        "Online funds",
        "Buying, redeeming, regular investment and fees",
        24,
    ),
    (
        "phone-banking",
        "电话银行",
        "自助语音、转人工与短信服务",
        "Phone banking",
        "Self-service menus, reaching an agent, SMS service",
        24,
    ),
    (
        "corporate-e-banking",
        "企业网银",
        "企业网银开通、授权与批量支付",
        "Corporate e-banking",
        "Set-up, authorisers and batch payments",
        8,
    ),
    (
        "feedback",
        "感受与建议",
        "说说您的使用感受，帮助我们改进",
        "Feelings & suggestions",
        "Tell us how it went and what to improve",
        48,
    ),
    ("surveys", "调查问卷", "参与客户满意度调查", "Surveys", "Take part in customer satisfaction surveys", 72),
]

RULES = {
    "zh-hans": "1. 请勿在帖子中公开卡号、身份证号、手机号、密码或验证码。\n2. 文明发言，不发广告。\n3. 版主 7×24 小时在线，紧急挂失请拨打 40088-00000。",
    "en": "1. Never post card numbers, ID numbers, phone numbers, passwords or codes.\n2. Be kind; no advertising.\n3. Moderators answer around the clock; to report a lost card at once call 40088-00000.",
}

# Community members who write the demo threads (no password: nobody signs in as them).
MEMBERS = {
    "zhao": ("forum.zhao@example.test", "赵敏", "zh-hans"),
    "sun": ("forum.sun@example.test", "孙先生", "zh-hans"),
    "zhou": ("forum.zhou@example.test", "理财小周", "zh-hans"),
    "grace": ("forum.grace@example.test", "Grace W.", "en"),
    "tom": ("forum.tom@example.test", "Tom Baker", "en"),
    "newbie_zh": ("forum.newbie@example.test", "新用户小吴", "zh-hans"),
    "newbie_en": ("forum.newbie.en@example.test", "Sam (new)", "en"),
}
EN_MODERATOR = ("forum.moderator.en@example.test", "Moderator Mia", "en")

# Per board and language: the answered thread (question, official answer, thanks), a waiting thread,
# a poll, a pending question and a reported reply.
CONTENT = {
    "e-banking": {
        "zh-hans": {
            "answered": (
                "zhao",
                "U盾插上电脑后网银提示“未检测到证书”怎么办？",
                "今天换了新电脑，插上 U盾 登录个人网银，一直提示**未检测到证书**。驱动已经装过了，浏览器是最新版 Chrome。请问还需要做什么设置？",
                "您好！新电脑第一次使用 U盾，请按以下步骤检查：\n\n1. 从官网下载并安装“网银助手”，它会一次装好驱动和安全控件；\n2. 拔下 U盾，重新插到电脑**背面**的 USB 口（前置接口有时供电不足）；\n3. 重启浏览器后再登录。\n\n如果仍提示未检测到证书，请在网银助手里点“证书检测”，把结果截图发在这里（注意遮住卡号），我们帮您继续排查。",
                "装了网银助手，换到后面的 USB 口就好了，谢谢版主！",
            ),
            "waiting": (
                "sun",
                "网银转账显示“交易处理中”已经两个小时了",
                "下午三点给家人跨行转账 5000 元，网银一直显示“交易处理中”，对方还没收到。钱会不会丢？需要再转一次吗？",
                30,
            ),
            "poll": (
                "您最常用哪种方式登录网银？",
                ["U盾", "短信验证码", "手机银行扫码", "指纹/人脸"],
                False,
            ),
            "pending": (
                "newbie_zh",
                "网银可以同时绑定两个 U盾 吗？",
                "家里两台电脑，想各放一个 U盾，可以吗？",
            ),
            "flagged": ("sun", "加我微信，低价代办网银开通，保证当天下证！"),
        },
        "en": {
            "answered": (
                "grace",
                "USB key says “certificate not found” on my new laptop",
                "I moved to a new laptop and my USB key no longer works for online banking: it says **certificate not found**. The driver is installed and I use the latest Chrome. What else do I need?",
                "Hello! On a new computer, please:\n\n1. Install the *Online Banking Assistant* from our website; it installs the driver and the security control together;\n2. Plug the USB key into a port at the **back** of the computer (front ports sometimes give too little power);\n3. Restart the browser and sign in again.\n\nIf the message stays, run “Certificate check” in the assistant and post a screenshot here (cover any card number).",
                "The assistant plus a back USB port fixed it. Thank you!",
            ),
            "waiting": (
                "tom",
                "Transfer has been “processing” for two hours",
                "I sent 500 to my sister at another bank at 3 pm and online banking still shows “processing”. Is the money safe? Should I send it again?",
                30,
            ),
            "poll": (
                "How do you usually sign in to online banking?",
                ["USB key", "SMS code", "Scan with the app", "Fingerprint or face"],
                False,
            ),
            "pending": (
                "newbie_en",
                "Can I use two USB keys on one account?",
                "We have two computers at home. Can each have its own USB key?",
            ),
            "flagged": ("tom", "DM me for cheap online-banking set-up, same day, no questions asked!"),
        },
    },
    "bank-cards": {
        "zh-hans": {
            "answered": (
                "zhou",
                "借记卡丢了，挂失后多久能补卡？",
                "昨天在地铁上丢了借记卡，已经打电话临时挂失了。请问正式挂失和补卡要去网点吗？多久能拿到新卡？",
                "您好，先说最重要的：电话挂失已经生效，卡里的钱是安全的。\n\n- **正式挂失**：请在 5 天内携带本人身份证到任一网点办理；\n- **补卡**：正式挂失 7 天后可领取新卡，也可以选择当场补办（部分网点支持即时制卡）；\n- 新卡号会变化，绑定了代扣、快捷支付的请记得更新。\n\n网点营业时间可在手机银行“网点查询”中查看。",
                "明白了，明天就去网点，谢谢！",
            ),
            "waiting": (
                "zhao",
                "ATM 取款没出钞但扣款了",
                "今天中午在一台他行 ATM 取 1000 元，机器没出钱，但手机收到了扣款短信。我的卡号是 6222021234567894，请帮忙查一下。",
                3,
            ),
            "poll": ("您更希望用哪种方式领取补办的银行卡？", ["网点自取", "邮寄到家", "网点即时制卡"], False),
            "pending": ("newbie_zh", "借记卡年费可以免吗？", "我的卡每年扣 10 元年费，有什么办法免掉？"),
            "flagged": ("sun", "这个银行的卡谁办谁后悔，大家都别用了！！！"),
        },
        "en": {
            "answered": (
                "tom",
                "Lost my debit card: how long until a replacement?",
                "I lost my debit card on the metro yesterday and reported it by phone. Do I need to visit a branch? How long does a new card take?",
                "Hello, first the most important thing: the phone report is in force, so your money is safe.\n\n- **Formal report**: visit any branch with your ID within 5 days;\n- **Replacement**: ready 7 days after the formal report, or on the spot at branches that print cards;\n- The card number changes: update any direct debits and linked wallets.\n\nBranch hours are in the app under “Find a branch”.",
                "Clear, I'll go tomorrow. Thanks!",
            ),
            "waiting": (
                "grace",
                "ATM took my money but gave no cash",
                "At noon an ATM of another bank gave me no cash but I got a debit SMS for 1,000. My phone is 13812345678 if you need to call me.",
                3,
            ),
            "poll": (
                "How would you like to receive a replacement card?",
                ["Collect at a branch", "By post", "Printed on the spot"],
                False,
            ),
            "pending": (
                "newbie_en",
                "Can the annual card fee be waived?",
                "My card costs 10 a year. Is there a way to avoid the fee?",
            ),
            "flagged": ("tom", "Worst bank ever, everybody should leave NOW!!!"),
        },
    },
    "credit-cards": {
        "zh-hans": {
            "answered": (
                "sun",
                "信用卡账单分期的手续费怎么算？",
                "这个月账单 12000 元，想分 12 期。App 上显示每期手续费 0.6%，这相当于年化多少？提前还款手续费退吗？",
                "您好！账单分期手续费按**每期**收取：12000 × 0.6% = 72 元/期，12 期合计 864 元。\n\n因为本金逐月减少而手续费按初始本金计算，折算的实际年化利率约为 13%，高于 0.6% × 12 = 7.2%。\n\n提前还清剩余本金时，**已收取的手续费不退**，未到期的手续费不再收取。建议先在 App 的“分期试算”里比较不同期数。",
                "原来实际年化这么高，我改成 6 期了，谢谢解释。",
            ),
            "waiting": (
                "zhou",
                "还款日是周末，会算逾期吗？",
                "我的还款日是这个周六，周五晚上才能发工资，周一还款会不会影响征信？",
                20,
            ),
            "poll": ("您最喜欢哪种积分兑换？", ["航空里程", "商城礼品", "抵扣年费", "话费充值"], True),
            "pending": ("newbie_zh", "信用卡临时额度怎么申请？", "下个月出国旅游，想临时提高额度。"),
            "flagged": ("zhao", "有需要信用卡套现的私聊我，手续费低"),
        },
        "en": {
            "answered": (
                "grace",
                "How is the instalment fee on a statement calculated?",
                "My statement is 12,000 and I want 12 instalments. The app shows a 0.6% fee per instalment. What is that per year? Is the fee refunded if I repay early?",
                "Hello! The fee is charged **per instalment**: 12,000 × 0.6% = 72 each month, 864 over 12 months.\n\nBecause the fee is on the original amount while you repay month by month, the effective annual rate is about 13%, more than 0.6% × 12 = 7.2%.\n\nIf you repay early, **fees already charged are not refunded**; no further fees are charged. Try the “Instalment calculator” in the app first.",
                "That is higher than I thought, I switched to 6 instalments. Thanks!",
            ),
            "waiting": (
                "tom",
                "Due date falls on a weekend: is Monday late?",
                "My payment is due this Saturday but I get paid on Friday night. Will paying on Monday hurt my credit record?",
                20,
            ),
            "poll": (
                "Which points reward do you like best?",
                ["Air miles", "Gifts", "Annual fee waiver", "Phone top-up"],
                True,
            ),
            "pending": (
                "newbie_en",
                "How do I get a temporary credit limit?",
                "I travel abroad next month and need a higher limit for two weeks.",
            ),
            "flagged": ("grace", "Need cash from your credit card? Message me, low fee"),
        },
    },
    "online-funds": {
        "zh-hans": {
            "answered": (
                "zhou",
                "基金定投扣款失败会怎样？",
                "设置了每月 8 号定投 500 元，这个月卡里余额不足扣款失败了。会影响以后的定投吗？",
                "您好！单次扣款失败**不会**取消定投计划，下个扣款日会照常扣款。\n\n注意：如果**连续 3 期**扣款失败，系统会自动终止该定投计划，需要重新设置。建议在扣款日前一天保持卡内余额充足，也可以在手机银行开启“余额不足提醒”。",
                "好的，已经开了提醒。",
            ),
            "waiting": ("zhao", "赎回基金后多久到账？", "周二下午两点赎回了一只债券基金，到现在还没到账。", 26),
            "poll": ("您更喜欢哪种投资方式？", ["每月定投", "一次性买入", "还在观望"], False),
            "pending": ("newbie_zh", "货币基金和余额理财有什么区别？", "新手，想了解一下。"),
            "flagged": ("sun", "内部消息：下周这只基金必涨 30%，赶紧上车"),
        },
        "en": {
            "answered": (
                "grace",
                "What happens if a regular fund payment fails?",
                "I invest 500 on the 8th of each month. This month there was not enough money on the card. Does that stop my plan?",
                "Hello! One failed payment does **not** cancel the plan: the next payment day runs as usual.\n\nIf **three payments in a row** fail, the plan stops and you need to set it up again. Keep enough on the card the day before, or switch on the “low balance alert” in the app.",
                "Alert switched on, thanks.",
            ),
            "waiting": (
                "tom",
                "How long does a fund redemption take?",
                "I redeemed a bond fund on Tuesday at 2 pm and have not received the money yet.",
                26,
            ),
            "poll": ("How do you prefer to invest?", ["Monthly plan", "Lump sum", "Still deciding"], False),
            "pending": ("newbie_en", "Money market fund vs. cash management?", "New here, what is the difference?"),
            "flagged": ("tom", "Insider tip: this fund will rise 30% next week, buy now"),
        },
    },
    "phone-banking": {
        "zh-hans": {
            "answered": (
                "sun",
                "电话银行怎么快速转人工？",
                "每次打客服热线都要听很长的语音菜单，有没有快捷键直接转人工？",
                "您好！拨通 40088-00000 后：\n\n- 普通话服务按 **1**，English service press **2**；\n- 在任意菜单下按 **0** 即可转人工客服；\n- 挂失等紧急业务在主菜单按 **9** 优先接入。\n\n高峰时段（工作日 9:00–11:00）等待时间较长，也可以在这里发帖，版主 24 小时在线。",
                "按 0 果然快多了！",
            ),
            "waiting": (
                "zhou",
                "短信银行发送“YE”查询余额没有回复",
                "按说明发送 YE 到服务号码，等了半小时没收到回复。",
                25,
            ),
            "poll": ("您通常通过哪个渠道联系我们？", ["电话热线", "论坛", "留言板", "网点"], False),
            "pending": ("newbie_zh", "电话银行可以修改预留手机号吗？", "换了新号码，不方便去网点。"),
            "flagged": ("zhao", "客服就是摆设，打十次都没人接"),
        },
        "en": {
            "answered": (
                "tom",
                "How do I reach a person on the hotline quickly?",
                "The hotline menu is long. Is there a shortcut to a human agent?",
                "Hello! After dialling 40088-00000:\n\n- press **2** for English;\n- press **0** in any menu to reach an agent;\n- press **9** in the main menu for urgent matters such as a lost card.\n\nWeekday mornings (9:00–11:00) are busiest; you can also post here, moderators answer around the clock.",
                "Pressing 0 works, much faster!",
            ),
            "waiting": (
                "grace",
                "SMS balance request gets no reply",
                "I texted “YE” to the service number half an hour ago and got nothing back.",
                25,
            ),
            "poll": ("How do you usually contact us?", ["Hotline", "Forum", "Message board", "Branch"], False),
            "pending": (
                "newbie_en",
                "Can I change my registered phone number by phone?",
                "I have a new number and cannot easily visit a branch.",
            ),
            "flagged": ("tom", "Customer service is useless, nobody ever answers"),
        },
    },
    "corporate-e-banking": {
        "zh-hans": {
            "answered": (
                "zhao",
                "企业网银批量代发工资的文件格式",
                "公司第一次用企业网银代发工资，上传 Excel 总是提示“文件格式错误”。",
                "您好！批量代发请使用企业网银“代发工资”页面提供的**模板**：\n\n1. 下载模板，不要增删列；\n2. 金额列保留两位小数，不要带千位分隔符；\n3. 另存为 `.xls` 或 `.csv`（UTF-8）后上传。\n\n上传后需由授权人在“待授权业务”中复核。仍有问题请说明报错的行号。",
                "按模板重新做了一份，成功了。",
            ),
            "waiting": (
                "sun",
                "新增授权人需要哪些材料？",
                "公司财务换人，需要增加一个授权人，请问要带什么去网点？",
                10,
            ),
            "poll": ("贵公司最常用的企业网银功能是？", ["转账支付", "代发工资", "对账", "票据"], False),
            "pending": ("newbie_zh", "企业网银可以设置单笔限额吗？", "想给操作员设置每笔上限。"),
            "flagged": ("zhou", "代开各类发票，联系电话 13912345678"),
        },
        "en": {
            "answered": (
                "grace",
                "File format for batch salary payments",
                "Our company pays salaries through corporate e-banking for the first time, and the Excel upload says “invalid file format”.",
                "Hello! Please use the **template** on the “Batch salary” page:\n\n1. Download the template and do not add or remove columns;\n2. Amounts with two decimals and no thousands separators;\n3. Save as `.xls` or `.csv` (UTF-8) and upload.\n\nAn authoriser then approves it under “Waiting for authorisation”. If it still fails, tell us the row number in the message.",
                "Rebuilt it from the template and it worked.",
            ),
            "waiting": (
                "tom",
                "What documents to add a new authoriser?",
                "Our finance manager changed; what do we bring to the branch to add an authoriser?",
                10,
            ),
            "poll": (
                "Which corporate e-banking feature do you use most?",
                ["Payments", "Salaries", "Reconciliation", "Bills"],
                False,
            ),
            "pending": (
                "newbie_en",
                "Can we set a per-payment limit?",
                "We want a maximum per payment for each operator.",
            ),
            "flagged": ("tom", "Invoices of any kind, call 13912345678"),
        },
    },
    "feedback": {
        "zh-hans": {
            "answered": (
                "zhou",
                "建议：手机银行增加夜间模式",
                "晚上看手机银行太亮了，希望能增加深色模式。",
                "感谢您的建议！深色模式已列入手机银行下一版本的开发计划，预计下季度上线。上线后我们会在本帖通知大家。",
                "太好了，期待！",
            ),
            "waiting": ("zhao", "网点排队时间太长", "周六上午在人民路网点排了一个多小时，窗口只开了两个。", 50),
            "poll": ("您对本论坛的回复速度满意吗？", ["非常满意", "满意", "一般", "不满意"], False),
            "pending": ("newbie_zh", "希望 App 支持更大字体", "家里老人看不清。"),
            "flagged": ("sun", "垃圾银行垃圾服务垃圾App"),
        },
        "en": {
            "answered": (
                "grace",
                "Suggestion: a dark mode for the app",
                "The banking app is very bright at night. Could it have a dark mode?",
                "Thank you for the idea! Dark mode is planned for the next version of the app, expected next quarter. We will post here when it is out.",
                "Great, looking forward to it!",
            ),
            "waiting": (
                "tom",
                "Long queues at the branch on Saturdays",
                "I waited over an hour at the People's Road branch; only two counters were open.",
                50,
            ),
            "poll": (
                "Are you happy with how fast the forum answers?",
                ["Very happy", "Happy", "It's OK", "Not happy"],
                False,
            ),
            "pending": ("newbie_en", "Please support larger text in the app", "My parents find the text too small."),
            "flagged": ("tom", "Rubbish bank, rubbish app, rubbish service"),
        },
    },
    "surveys": {
        "zh-hans": {
            "answered": (
                "zhao",
                "满意度调查的抽奖什么时候开奖？",
                "上个月参加了客户满意度调查，说有机会抽奖，请问什么时候公布结果？",
                "您好！上月调查的抽奖将在本月 15 日进行，中奖名单会在本版置顶公布，并通过短信通知中奖客户（短信不会要求您提供密码或验证码）。",
                "好的，谢谢。",
            ),
            "waiting": ("sun", "调查问卷打不开", "点击短信里的问卷链接显示空白页。", 80),
            "poll": (
                "2026 年客户满意度调查：您对我行整体服务的评价",
                ["非常满意", "满意", "一般", "不满意", "非常不满意"],
                False,
            ),
            "pending": ("newbie_zh", "可以多填几次问卷吗？", "想给不同网点分别打分。"),
            "flagged": ("zhou", "问卷都是骗人的，填了也没用"),
        },
        "en": {
            "answered": (
                "tom",
                "When is the survey prize draw?",
                "I took last month's satisfaction survey, which mentioned a prize draw. When are the results?",
                "Hello! The draw takes place on the 15th of this month. Winners are listed in a pinned thread on this board and told by SMS (which will never ask for a password or code).",
                "Thanks!",
            ),
            "waiting": ("grace", "The survey link opens a blank page", "The link in the SMS shows an empty page.", 80),
            "poll": (
                "2026 satisfaction survey: how do you rate our service overall?",
                ["Very satisfied", "Satisfied", "Neutral", "Dissatisfied", "Very dissatisfied"],
                False,
            ),
            "pending": (
                "newbie_en",
                "Can I fill in the survey more than once?",
                "I'd like to rate different branches.",
            ),
            "flagged": ("tom", "Surveys are fake, nobody reads them"),
        },
    },
}

DEMO_PASSWORD = None  # unusable: the demo members cannot sign in


def _member(email, name, language, joined_days_ago=400, role=None):
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, display_name=name, preferred_language=language)
        user.set_unusable_password()
        user.date_joined = timezone.now() - timedelta(days=joined_days_ago)
        user.save()
        if role:
            user.groups.add(Group.objects.get(name=role))
    return user


def _people():
    from portal.core.demo import DEMO_USERS, ensure_users

    ensure_users()  # the demo's own customers and moderator write here too (idempotent)
    User = get_user_model()
    by_email = {spec.email: User.objects.get(email=spec.email) for spec in DEMO_USERS}
    people = {key: _member(*spec) for key, spec in MEMBERS.items()}
    for key in ("newbie_zh", "newbie_en"):
        people[key].date_joined = timezone.now() - timedelta(days=1)
        people[key].save(update_fields=["date_joined"])
    people["me_zh"] = by_email["customer@example.test"]
    people["me_en"] = by_email["customer.en@example.test"]
    people["mod_zh"] = by_email["moderator@example.test"]
    people["mod_en"] = _member(*EN_MODERATOR, role=roles.MODERATORS)
    return people


def build(homes):
    from portal.core.demo import ensure_pair

    index = ensure_pair(homes["zh-hans"], ForumIndexPage, "forum", INDEX["zh-hans"], INDEX["en"])
    boards = {}
    for slug, zh_title, zh_desc, en_title, en_desc, hours in BOARDS:
        common = {
            "first_response_hours": hours,
            "posting_policy": BoardPage.PostingPolicy.NEW_MEMBERS_MODERATED,
            "polls_allowed": slug in ("feedback", "surveys"),
        }
        boards[slug] = ensure_pair(
            index["zh-hans"],
            BoardPage,
            slug,
            {"title": zh_title, "description": zh_desc, "rules": RULES["zh-hans"], **common},
            {"title": en_title, "description": en_desc, "rules": RULES["en"], **common},
        )
    people = _people()
    for slug, pair in boards.items():
        for language, board in pair.items():
            _board_content(board, CONTENT[slug][language], people, language)
    return {"index": index, "boards": boards}


def _board_content(board, content, people, language):
    if Thread.objects.filter(board=board).exists():
        return  # built before: the demo never duplicates
    now = timezone.now()
    moderator = people["mod_zh" if language == "zh-hans" else "mod_en"]
    me = people["me_zh" if language == "zh-hans" else "me_en"]
    write = {"check_limits": False, "notify": False}
    # Demo members are veterans: the board's pre-moderation applies only to the newcomer's question below.
    policy = board.posting_policy
    board.posting_policy = BoardPage.PostingPolicy.OPEN

    asker, title, question, answer, thanks = content["answered"]
    asked_at = now - timedelta(days=6, hours=3)
    thread = actions.create_thread(people[asker], board, title=title, body=question, now=asked_at, **write).thread
    official = actions.create_reply(
        moderator, thread, body=answer, now=asked_at + timedelta(hours=2, minutes=10), **write
    ).post
    actions.create_reply(people[asker], thread, body=thanks, now=asked_at + timedelta(hours=5), **write)
    actions.accept_answer(people[asker], official, notify=False)
    thread.refresh_from_db()
    actions.rate_answer(people[asker], thread, "satisfied", "")

    # A thread from the signed-in demo customer, answered by a fellow member: shows follow and unread.
    poll_question, options, multiple = content["poll"]
    poll_title = poll_question
    poll_body = {
        "zh-hans": "欢迎大家投票，结果将用于改进服务。投票后即可看到结果。",
        "en": "Please vote: the results help us improve. You see the results after voting.",
    }[language]
    poll_thread = actions.create_thread(
        moderator,
        board,
        title=poll_title,
        body=poll_body,
        poll={"question": poll_question, "options": options, "multiple": multiple, "closes_at": None},
        now=now - timedelta(days=3),
        **write,
    ).thread
    actions.pin_thread(moderator, poll_thread, "")
    voters = [people[key] for key in ("zhao", "sun", "zhou", "grace", "tom")]
    for position, voter in enumerate(voters):
        actions.vote_poll(voter, poll_thread.poll, [poll_thread.poll.options.all()[position % len(options)].pk])

    asker, title, body, hours_ago = content["waiting"]
    waiting = actions.create_thread(
        people[asker], board, title=title, body=body, now=now - timedelta(hours=hours_ago), **write
    ).thread
    follow_up = {
        "zh-hans": "我也遇到过同样的情况，坐等版主回复。",
        "en": "Same thing happened to me, waiting for a moderator too.",
    }[language]
    actions.create_reply(me, waiting, body=follow_up, now=now - timedelta(hours=hours_ago - 1), **write)

    author, text = content["flagged"]
    flagged = actions.create_reply(
        people[author], waiting, body=text, now=now - timedelta(hours=max(hours_ago - 2, 0), minutes=30), **write
    ).post
    for reporter, reason in ((people["zhou" if language == "zh-hans" else "grace"], "spam"), (me, "abuse")):
        if reporter.pk != flagged.author_id:
            actions.flag_post(reporter, flagged, reason)

    board.posting_policy = BoardPage.PostingPolicy.ALL_MODERATED  # in memory only: the newcomer waits
    newcomer, title, body = content["pending"]
    actions.create_thread(people[newcomer], board, title=title, body=body, now=now - timedelta(minutes=40), **write)
    board.posting_policy = policy


def demo_thread_count():
    return Thread.objects.count(), Post.objects.count()
