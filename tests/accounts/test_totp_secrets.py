"""Two-factor sign-in of the demo staff, and what a damaged stored secret does: a message, never a 500."""

import base64
import re
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from allauth.mfa.utils import encrypt
from django.core.management import CommandError, call_command

from portal.core import roles
from portal.core.demo import DEMO_USERS

pytestmark = pytest.mark.django_db

STAFF = [spec for spec in DEMO_USERS if spec.totp_secret]


def current_code(secret):
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


@pytest.mark.parametrize("spec", STAFF, ids=lambda spec: spec.email)
def test_every_demo_secret_is_base32_and_demo_totp_prints_its_code(spec):
    assert len(base64.b32decode(spec.totp_secret)) >= 10  # RFC 4226 asks for at least 80 bits

    out = StringIO()
    call_command("demo_totp", spec.email, stdout=out)

    assert re.fullmatch(r"\d{6}\n", out.getvalue())


def test_demo_totp_refuses_a_customer_with_a_clear_message():
    with pytest.raises(CommandError, match="customer@example.test is not a demo staff account."):
        call_command("demo_totp", "customer@example.test")


def sign_in(client, email, password):
    response = client.post("/accounts/login/", {"login": email, "password": password})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"


def test_demo_moderator_signs_in_with_the_code_demo_totp_prints(client, demo_site):
    spec = next(spec for spec in DEMO_USERS if spec.email == "moderator@example.test")
    sign_in(client, spec.email, spec.password)
    out = StringIO()
    call_command("demo_totp", spec.email, stdout=out)

    response = client.post("/accounts/2fa/authenticate/", {"code": out.getvalue().strip()})

    assert response.status_code == 302
    assert client.get("/forum/moderation/sla/").status_code == 200


def test_demo_content_repairs_a_stored_demo_secret_that_differs(demo_site):
    from portal.core.demo import ensure_users

    authenticator = Authenticator.objects.get(user__email="moderator@example.test", type=Authenticator.Type.TOTP)
    authenticator.data = {"secret": encrypt("JBSWY3DPEHPK3PXPMODERATOR")}  # the broken secret of earlier demos
    authenticator.save()

    ensure_users()

    authenticator.refresh_from_db()
    moderator = next(spec for spec in STAFF if spec.email == "moderator@example.test")
    assert authenticator.wrap().validate_code(current_code(moderator.totp_secret))


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("zh-hans", "您的两步验证密钥已损坏，任何验证码都无法通过。请使用一个恢复码登录，或请管理员重置您的两步验证。"),
        (
            "en",
            "Your two-factor key is damaged, so no code can match it. Sign in with a recovery code, "
            "or ask an administrator to reset your two-factor sign-in.",
        ),
    ],
)
def test_a_damaged_stored_secret_is_a_message_not_a_server_error(client, homes, make_staff, language, message):
    staff = make_staff(roles.AGENTS, preferred_language=language, mfa=False)
    staff.set_password("a-strong-pass-2026")
    staff.save()
    Authenticator.objects.create(
        user=staff, type=Authenticator.Type.TOTP, data={"secret": encrypt("JBSWY3DPEHPK3PXPMODERATOR")}
    )
    prefix = "" if language == "zh-hans" else "/en"
    client.cookies["django_language"] = language
    response = client.post(f"{prefix}/accounts/login/", {"login": staff.email, "password": "a-strong-pass-2026"})
    assert response.status_code == 302

    response = client.post(f"{prefix}/accounts/2fa/authenticate/", {"code": "123456"})

    assert response.status_code == 200
    assert message in response.content.decode()
