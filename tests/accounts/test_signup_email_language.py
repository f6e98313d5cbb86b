"""The sign-up e-mail is in the language of the site the customer signed up on, from its first line."""

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("prefix", "greeting", "absent"),
    [("", "您好，这里是", "Hello"), ("/en", "Hello from ", "您好")],
)
def test_sign_up_email_greets_in_the_sites_language(client, homes, prefix, greeting, absent):
    response = client.post(
        f"{prefix}/accounts/signup/",
        {"email": "li.lei@example.test", "password1": "a-strong-pass-2026", "password2": "a-strong-pass-2026"},
    )

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.body.startswith(greeting)
    assert absent not in message.body
    assert absent not in message.subject
