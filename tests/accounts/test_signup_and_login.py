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


def _fail(client, email, address, times=1):
    for attempt in range(times):
        client.post("/en/accounts/login/", {"login": email, "password": f"guess-{attempt}"}, REMOTE_ADDR=address)


def test_a_stranger_at_one_address_cannot_lock_the_owner_out(client, homes, customer):
    _fail(client, customer.email, "198.51.100.7", times=25)

    stranger = client.post(
        "/en/accounts/login/",
        {"login": customer.email, "password": "correct-horse-battery-9"},
        REMOTE_ADDR="198.51.100.7",
    )
    client.cookies.clear()
    owner = client.post(
        "/en/accounts/login/",
        {"login": customer.email, "password": "correct-horse-battery-9"},
        REMOTE_ADDR="203.0.113.5",
    )

    assert "Too many failed login attempts. Try again later." in stranger.content.decode()
    assert owner.status_code == 302
    assert client.get("/en/accounts/profile/").status_code == 200


def test_an_owner_locked_out_from_many_addresses_gets_back_in_by_resetting_the_password(client, homes, customer):
    for number in range(30):
        _fail(client, customer.email, f"198.51.100.{number + 1}")
    locked = client.post(
        "/en/accounts/login/",
        {"login": customer.email, "password": "correct-horse-battery-9"},
        REMOTE_ADDR="203.0.113.5",
    )
    assert "Too many failed login attempts. Try again later." in locked.content.decode()

    client.post("/en/accounts/password/reset/", {"email": customer.email}, REMOTE_ADDR="203.0.113.5")
    link = re.search(r"https?://[^/\s]+(/\S*accounts/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    form = client.get(link, follow=True, REMOTE_ADDR="203.0.113.5")
    new_password = "a-new-strong-pass-2026"
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"password1": new_password, "password2": new_password},
        REMOTE_ADDR="203.0.113.5",
    )
    assert done.status_code == 302
    client.logout()
    back = client.post(
        "/en/accounts/login/", {"login": customer.email, "password": new_password}, REMOTE_ADDR="203.0.113.5"
    )

    assert back.status_code == 302
    assert client.get("/en/accounts/profile/").status_code == 200
