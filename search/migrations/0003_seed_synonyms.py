"""Seed the synonym groups every service centre needs; staff edit them in the admin afterwards."""

from django.db import migrations

GROUPS = [
    ("U盾, USB Key, USBKey, U-Key, UKey, 网银盾", "The hardware security key for online banking"),
    ("挂失, report loss, report lost, lost card, 丢卡", "Reporting a lost card"),
    ("网银, 网上银行, 个人网银, online banking, internet banking, e-banking, ebanking", "Online banking"),
    ("手机银行, 手机App, mobile banking, banking app, mobile app", "Mobile banking"),
    ("短信验证码, 验证码, 动态码, SMS code, verification code, one-time password, OTP", "One-time codes"),
    ("转账, 汇款, transfer, remittance, 打钱", "Transfers"),
    ("跨行转账, 转到别的银行, transfer to other banks, interbank transfer", "Transfers to other banks"),
    ("结售汇, 购汇, 换外币, 换美元, currency exchange, foreign exchange, FX", "Currency exchange"),
    ("信用卡, credit card", "Credit cards"),
    ("借记卡, 储蓄卡, 银行卡, debit card, bank card", "Debit cards"),
    ("诈骗, 骗子, 被骗, scam, fraud", "Scams"),
    ("转人工, 人工客服, real person, human agent, speak to an agent", "Reaching an agent"),
    ("解锁, unlock, unblock", "Unlocking"),
    ("密码, password, PIN", "Passwords and PINs"),
    ("年费, annual fee", "Annual fees"),
    ("分期, 账单分期, instalment, installment", "Instalments"),
    ("基金定投, 定投, regular investment, auto-invest", "Regular fund investment"),
]


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("portal_search", "SynonymGroup")
    for terms, note in GROUPS:
        SynonymGroup.objects.get_or_create(terms=terms, defaults={"note": note})


def unseed(apps, schema_editor):
    SynonymGroup = apps.get_model("portal_search", "SynonymGroup")
    SynonymGroup.objects.filter(terms__in=[terms for terms, _note in GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0002_fulltext")]

    operations = [migrations.RunPython(seed, unseed)]
