"""Fixtures of the message board tests: desk staff, a submitted message, SMS signing, picture files."""

import io
import secrets
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal.intake import actions, sms
from portal.intake.views import sign


@pytest.fixture(autouse=True)
def _sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def desk(make_staff):
    return make_staff("Message desk", display_name="留言坐席")


@pytest.fixture
def supervisor(make_staff):
    return make_staff("Supervisors", display_name="主管")


@pytest.fixture
def agent(make_staff):
    return make_staff("Agents", display_name="坐席")


def form_data(**overrides):
    data = {
        "kind": "inquiry",
        "category": "ebanking",
        "subject": "网银登录提示证书过期",
        "body": "今天登录网银时提示证书已过期。",
        "name": "王先生",
        "email": "wang@example.test",
        "phone": "",
        "consent": "on",
        "homepage_url": "",
        "submit_key": secrets.token_urlsafe(16),
        "send": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def make_message(db):
    def make(**fields):
        defaults = {
            "kind": "inquiry",
            "category": "ebanking",
            "subject": "网银登录提示证书过期",
            "body": "今天登录网银时提示证书已过期。",
            "name": "王先生",
            "email": "wang@example.test",
            "check_limits": False,
            "notify": False,
        }
        defaults.update(fields)
        message, _created = actions.submit_message(**defaults)
        return message

    return make


def png_bytes(size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, "#0b5cad").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def picture():
    return SimpleUploadedFile("screen.png", png_bytes(), content_type="image/png")


def signed_post(client, data, *, secret="test-sms-secret", timestamp=None, signature=None):
    """POST to the inbound SMS webhook as the gateway would (form-encoded body, signed timestamp + body)."""
    from urllib.parse import urlencode

    body = urlencode(data).encode()
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = signature if signature is not None else sign(secret, timestamp, body)
    headers = {"HTTP_X_TIMESTAMP": timestamp}
    if signature:
        headers["HTTP_X_SIGNATURE"] = signature
    return client.generic(
        "POST", "/intake/sms/inbound", body, content_type="application/x-www-form-urlencoded", **headers
    )


class _Fresh:
    """Messages made during this test (the demo's own messages are already in the database)."""

    def __init__(self):
        from portal.intake.models import Message

        self.model = Message
        self.start = Message.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def all(self):
        return self.model.objects.filter(id__gt=self.start).order_by("id")

    def count(self):
        return self.all().count()

    def get(self):
        (message,) = self.all()
        return message


@pytest.fixture
def fresh(homes):
    return _Fresh()
