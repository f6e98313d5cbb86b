"""allauth's own mail (e-mail verification, password reset) rides out an SMTP outage like every notification:
the customer's request succeeds while the relay is down, and each message arrives once when it is back.

A real SMTP server (aiosmtpd) on loopback and the production task backend with its worker (tests/mailrelay.py):
only the relay is stood in for, by a real server on a free port.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.mailrelay import backoff_passes, waiting_mail, work

pytestmark = pytest.mark.django_db(transaction=True)  # the worker commits as in production
CONFIRM = re.compile(r"https?://[^/\s]+(/(?:en/)?accounts/confirm-email/\S+/)")


def test_verification_and_reset_mail_wait_out_a_dead_relay_and_arrive_once(client, homes, customer, relay):
    signup = client.post(
        "/en/accounts/signup/",
        {"email": "new.customer@example.test", "password1": "a-strong-pass-2026", "password2": "a-strong-pass-2026"},
    )
    client.logout()
    reset = client.post("/accounts/password/reset/", {"email": customer.email})

    assert (signup.status_code, reset.status_code) == (302, 302)  # the relay is down: nobody sees an error
    work()
    assert sorted(result.args_kwargs["args"][2] for result in waiting_mail()) == [2, 2]  # scheduled again
    assert relay.messages == []

    relay.start()
    backoff_passes()
    work()
    work()  # nothing left to send: nobody gets a second copy

    assert relay.recipients() == sorted([customer.email, "new.customer@example.test"])
    texts = {message.rcpt_tos[0]: message.content.decode() for message in relay.messages}
    assert "Please Confirm Your Email Address" in texts["new.customer@example.test"]
    assert "/accounts/password/reset/key/" in texts[customer.email]
    link = CONFIRM.search(texts["new.customer@example.test"]).group(1)
    assert client.post(link).status_code == 302  # the late link still confirms the address
    assert get_user_model().objects.get(email="new.customer@example.test").emailaddress_set.get().verified


def test_a_refused_mail_never_breaks_the_sign_up(client, homes, settings):
    settings.EMAIL_BACKEND = "tests.accounts.test_mail_retry.RefusingBackend"  # the relay says 550 for good

    response = client.post(
        "/accounts/signup/",
        {"email": "li.lei@example.test", "password1": "a-strong-pass-2026", "password2": "a-strong-pass-2026"},
    )

    assert response.status_code == 302
    assert get_user_model().objects.filter(email="li.lei@example.test").exists()
    assert mail.outbox == []


class RefusingBackend:
    """A relay that refuses every message permanently (550): stands in for the SMTP server only."""

    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPDataError(550, b"mailbox unavailable")
