"""The desk's e-mail (receipt, reply) rides out an SMTP outage: the customer's message is taken while the relay is
down, the receipt arrives once it is back, and a notification run twice mails nobody twice.

A real SMTP server (aiosmtpd) on loopback and the production task backend with its worker (tests/mailrelay.py):
only the relay is stood in for.
"""

import pytest

from portal.intake import actions, notifications
from portal.intake.models import Kind
from tests.mailrelay import backoff_passes, work

pytestmark = pytest.mark.django_db(transaction=True)  # the worker commits as in production


def test_a_receipt_waits_out_a_dead_relay_and_arrives_once(homes, relay):
    message, created = actions.submit_message(
        kind=Kind.INQUIRY,
        category="bank_cards",
        subject="信用卡账单日",
        body="请问信用卡账单日可以修改吗？",
        email="wang.fang@example.test",
        check_limits=False,
    )
    assert created

    work()  # the receipt task runs; the relay is down, so its mail is scheduled again
    assert relay.messages == []

    relay.start()
    backoff_passes()
    work()
    assert relay.recipients() == ["wang.fang@example.test"]  # nobody had to do anything
    notifications.notify_receipt(message.pk)  # run again by hand (or re-enqueued): nothing new is sent
    work()

    assert relay.recipients() == ["wang.fang@example.test"]
    assert message.reference in relay.messages[0].content.decode()
