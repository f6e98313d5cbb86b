"""Demo content of the forum: the boards from the seed article, each with its first-response target."""

from forum.models import BoardPage, ForumIndexPage

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


def build(homes):
    from portal.demo import ensure_pair

    index = ensure_pair(homes["zh-hans"], ForumIndexPage, "forum", INDEX["zh-hans"], INDEX["en"])
    boards = {}
    for slug, zh_title, zh_desc, en_title, en_desc, hours in BOARDS:
        boards[slug] = ensure_pair(
            index["zh-hans"],
            BoardPage,
            slug,
            {"title": zh_title, "description": zh_desc, "first_response_hours": hours},
            {"title": en_title, "description": en_desc, "first_response_hours": hours},
        )
    return {"index": index, "boards": boards}
