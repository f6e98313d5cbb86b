"""Sign-up with e-mail verification, log in by e-mail, and allauth's rate limits."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

pytestmark = pytest.mark.django_db


def test_signup_sends_a_verification_mail_in_the_customers_language(client, homes):
    response = client.post(
        "/en/accounts/signup/",
        {"email": "new.customer@example.test", "password1": "a-strong-pass-2026", "password2": "a-strong-pass-2026"},
    )

    assert response.status_code == 302
    user = get_user_model().objects.get(email="new.customer@example.test")
    assert user.preferred_language == "en"
    assert len(mail.outbox) == 1
    assert "Please Confirm Your Email Address" in mail.outbox[0].subject


def test_unverified_customer_cannot_sign_in_until_the_link_is_followed(client, homes):
    client.post(
        "/en/accounts/signup/",
        {"email": "wang@example.test", "password1": "a-strong-pass-2026", "password2": "a-strong-pass-2026"},
    )
    link = re.search(
        r"https?://[^/\s]+(/\S*/accounts/confirm-email/\S+/|/accounts/confirm-email/\S+/)", mail.outbox[0].body
    )
    assert link

    response = client.post(link.group(1))

    assert response.status_code == 302
    assert client.get("/en/accounts/profile/").status_code == 200


def test_signup_form_keeps_the_email_when_passwords_differ(client, homes):
    response = client.post(
        "/en/accounts/signup/",
        {"email": "keep.me@example.test", "password1": "a-strong-pass-2026", "password2": "different-pass-2026"},
    )

    assert response.status_code == 200
    assert 'value="keep.me@example.test"' in response.content.decode()


def test_login_by_email(client, homes, customer):
    response = client.post("/en/accounts/login/", {"login": customer.email, "password": "correct-horse-battery-9"})

    assert response.status_code == 302
    assert client.get("/en/accounts/profile/").status_code == 200


def test_repeated_failed_logins_are_rate_limited_even_with_the_right_password(client, homes, customer):
    for i in range(5):
        client.post("/en/accounts/login/", {"login": customer.email, "password": f"wrong-{i}"})

    response = client.post("/en/accounts/login/", {"login": customer.email, "password": "correct-horse-battery-9"})

    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert client.get("/en/accounts/profile/").status_code == 302


def test_signing_in_continues_in_the_preferred_language(client, homes, customer):
    customer.preferred_language = "en"
    customer.save(update_fields=["preferred_language"])

    response = client.post("/accounts/login/", {"login": customer.email, "password": "correct-horse-battery-9"})

    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_password_reset_mail_reaches_the_customer_in_their_language(client, homes, customer):
    response = client.post("/accounts/password/reset/", {"email": customer.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [customer.email]
    assert "密码重置" in mail.outbox[0].subject
