"""The public form: no account, contact rules, a reference and a private link, no duplicates, prefill."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.intake import sms
from tests.factories import UserFactory
from tests.intake.conftest import form_data, png_bytes

pytestmark = pytest.mark.django_db


def test_form_is_linked_from_home_header_and_footer_in_both_languages(client, homes):
    for home_url, form_url in (("/", "/messages/"), ("/en/", "/en/messages/")):
        page = client.get(home_url).content.decode()
        assert page.count(f'href="{form_url}"') >= 3  # header menu, the home card, the footer
    english = client.get("/en/messages/")
    assert english.status_code == 200
    assert "Message board" in english.content.decode()
    assert "留言板" in client.get("/messages/").content.decode()


def test_anonymous_submit_gives_reference_and_private_tracking_link(
    client, homes, fresh, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/messages/", form_data())
    message = fresh.get()
    assert re.fullmatch(r"LY-\d{8}-\d{6}", message.reference)
    assert response.status_code == 302
    assert response["Location"] == f"/messages/t/{message.tracking_token}/"
    assert str(message.pk) not in message.tracking_token and len(message.tracking_token) >= 32
    page = client.get(response["Location"])
    assert message.reference in page.content.decode()
    assert message.status == "new" and message.channel == "web" and message.user is None
    # The receipt went out by e-mail with the same link.
    assert len(mail.outbox) == 1
    assert message.reference in mail.outbox[0].subject
    assert f"/messages/t/{message.tracking_token}/" in mail.outbox[0].body


def test_receipt_goes_by_sms_to_a_mobile_number_in_the_customers_language(
    client, homes, fresh, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/messages/", form_data(email="", phone="138 1234 5678"))
    message = fresh.get()
    assert message.phone == "+8613812345678"
    assert message.language == "en"
    assert [s.to for s in sms.outbox] == ["+8613812345678"]
    assert sms.outbox[0].text.startswith(f"Example Bank: we received your message {message.reference}.")
    assert f"/en/messages/t/{message.tracking_token}/" in sms.outbox[0].text


def test_contact_is_required_and_mobile_numbers_are_validated(client, homes, fresh):
    response = client.post("/en/messages/", form_data(email="", phone=""))
    assert response.status_code == 400
    assert "Please give an e-mail address or a mobile number." in response.content.decode()
    response = client.post("/en/messages/", form_data(email="", phone="12345"))
    assert "Please enter a valid mobile number." in response.content.decode()
    assert fresh.count() == 0
    # What was typed is kept.
    assert "网银登录提示证书过期" in response.content.decode()


def test_privacy_consent_is_required(client, homes, fresh):
    response = client.post("/en/messages/", form_data(consent=None))
    assert response.status_code == 400
    assert "Please accept the privacy notice" in response.content.decode()
    assert fresh.count() == 0


def test_double_submit_never_creates_a_second_message(client, homes, fresh):
    data = form_data()
    first = client.post("/messages/", data)
    second = client.post("/messages/", data)  # double click, back button and resend, retry
    assert fresh.count() == 1
    assert first["Location"] == second["Location"]


def test_honeypot_refuses_without_creating_a_message(client, homes, fresh):
    response = client.post("/en/messages/", form_data(homepage_url="http://spam.example"))
    assert response.status_code == 400
    assert "Your message could not be sent." in response.content.decode()
    assert fresh.count() == 0


def test_rate_limit_per_ip_and_per_contact(client, homes, settings, fresh):
    settings.PORTAL_INTAKE_RATE_LIMITS = [("ip", 3, 600), ("contact", 1, 600)]  # refused tries count too
    assert client.post("/en/messages/", form_data(email="a@example.test")).status_code == 302
    refused = client.post("/en/messages/", form_data(email="a@example.test"))
    assert refused.status_code == 429
    assert "You have sent several messages in a short time." in refused.content.decode()
    assert client.post("/en/messages/", form_data(email="b@example.test")).status_code == 302
    assert client.post("/en/messages/", form_data(email="c@example.test")).status_code == 429  # the IP's limit
    assert fresh.count() == 2


def test_picture_is_stored_cleaned_through_core_image_handling(client, homes, picture, fresh):
    client.post("/messages/", {**form_data(), "picture": picture})
    message = fresh.get()
    assert message.picture.name.startswith("intake/")
    assert "screen" not in message.picture.name  # the customer's file name never reaches the disk


def test_fake_picture_is_refused_with_a_clear_message_and_the_form_kept(client, homes, fresh):
    fake = SimpleUploadedFile("photo.jpg", b"<?php echo 'not a picture'; ?>", content_type="image/jpeg")
    response = client.post("/en/messages/", {**form_data(subject="Keep my subject"), "picture": fake})
    assert response.status_code == 400
    page = response.content.decode()
    assert "This file is not a picture we can read." in page
    assert 'value="Keep my subject"' in page
    assert "今天登录网银时提示证书已过期。" in page
    assert fresh.count() == 0


def test_oversized_picture_is_refused(client, homes, settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 100
    big = SimpleUploadedFile("big.png", png_bytes((300, 300)), content_type="image/png")
    response = client.post("/en/messages/", {**form_data(), "picture": big})
    assert response.status_code == 400
    assert "The picture is too large (0 MB at most)." in response.content.decode()


def test_signed_in_customer_is_prefilled_and_sees_messages_on_profile(client, homes, fresh):
    customer = UserFactory(display_name="小王", email="xiaowang@example.test")
    client.force_login(customer)
    page = client.get("/messages/").content.decode()
    assert 'value="小王"' in page and 'value="xiaowang@example.test"' in page
    client.post("/messages/", form_data(email=customer.email, subject="我的留言"))
    message = fresh.get()
    assert message.user == customer
    profile = client.get("/accounts/profile/").content.decode()
    assert message.reference in profile and "我的留言" in profile
    assert f"/messages/t/{message.tracking_token}/" in profile


def test_form_works_under_strict_csp_without_inline_script(client, homes):
    response = client.get("/messages/")
    page = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts and all('src="/static/' in attrs and not body.strip() for attrs, body in scripts)
    assert 'name="preview"' in page  # the no-JS step
