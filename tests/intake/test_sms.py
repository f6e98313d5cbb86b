"""Inbound SMS webhook: HMAC over timestamp + body, 5-minute window, no replays; "LTK" questions join the queue.

The SMS gateway is the one thing that cannot run here: outgoing texts go to the in-memory backend
(portal.intake.sms.LocmemBackend), which stands in for it.
"""

import logging
import time

import pytest

from portal.intake import actions, sms
from portal.intake.models import Entry, Message
from tests.intake.conftest import signed_post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text", ["LTK 信用卡账单怎么查", "ltk信用卡账单怎么查", "Ltk+信用卡账单怎么查", "  LTK + 信用卡账单怎么查"]
)
def test_ltk_text_becomes_a_message_on_the_sms_channel(client, fresh, text, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_post(client, {"from": "+8613912340000", "text": text})
    assert response.status_code == 200
    message = fresh.get()
    assert response.json() == {"ok": True, "reference": message.reference}
    assert message.channel == "sms" and message.phone == "+8613912340000"
    assert message.entries.get().body.strip() == "信用卡账单怎么查"
    assert sms.outbox[-1].to == "+8613912340000" and message.reference in sms.outbox[-1].text


def test_text_without_ltk_makes_no_message(client, fresh):
    response = signed_post(client, {"from": "+8613912340000", "text": "你好"})
    assert response.json() == {"ok": True, "reference": None}
    assert fresh.count() == 0


def test_second_sms_from_the_same_number_adds_to_the_open_message(client, fresh):
    signed_post(client, {"from": "13912340001", "text": "LTK 第一个问题"})
    time.sleep(0.001)
    signed_post(client, {"from": "13912340001", "text": "LTK 补充一下"})
    message = fresh.get()
    assert [e.body for e in message.entries.order_by("id")] == ["第一个问题", "补充一下"]


def test_after_close_a_new_sms_starts_a_new_message(client, fresh, desk):
    signed_post(client, {"from": "13912340002", "text": "LTK 问题一"})
    actions.close_message(desk, fresh.get())
    signed_post(client, {"from": "13912340002", "text": "LTK 问题二"})
    assert fresh.count() == 2


@pytest.mark.parametrize(
    "kwargs, reason",
    [
        ({"signature": ""}, "unsigned"),
        ({"secret": "wrong-secret"}, "bad signature"),
        ({"timestamp": -301}, "stale"),
        ({"timestamp": +301}, "stale"),
    ],
)
def test_unsigned_wrong_or_stale_calls_get_403_and_a_log_line_without_the_secret(client, fresh, caplog, kwargs, reason):
    if "timestamp" in kwargs:  # seconds from now, taken when the test runs
        kwargs = {"timestamp": int(time.time()) + kwargs["timestamp"]}
    with caplog.at_level(logging.WARNING, logger="portal.intake.views"):
        response = signed_post(client, {"from": "+8613912340000", "text": "LTK 你好"}, **kwargs)
    assert response.status_code == 403
    assert fresh.count() == 0
    assert f"intake sms webhook refused ({reason})" in caplog.text
    assert "test-sms-secret" not in caplog.text


def test_replayed_signature_is_refused(client, fresh, caplog):
    timestamp = int(time.time())
    data = {"from": "+8613912340000", "text": "LTK 重放"}
    assert signed_post(client, data, timestamp=timestamp).status_code == 200
    with caplog.at_level(logging.WARNING, logger="portal.intake.views"):
        replay = signed_post(client, data, timestamp=timestamp)
    assert replay.status_code == 403
    assert "refused (replayed)" in caplog.text
    assert fresh.get().entries.count() == 1


def test_reply_goes_back_by_sms_with_the_tracking_link(client, fresh, desk, django_capture_on_commit_callbacks):
    signed_post(client, {"from": "+8613912340003", "text": "LTK 怎么改账单日"})
    message = fresh.get()
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply_to_message(desk, message, "请在手机银行“信用卡 > 账单日”中修改。")
    assert len(sms.outbox) == 1
    text = sms.outbox[0].text
    assert text.startswith(f"示例银行已回复您的留言 {message.reference}：")
    assert "请在手机银行“信用卡 > 账单日”中修改。" in text
    assert f"/messages/t/{message.tracking_token}/" in text
    assert message.entries.filter(kind=Entry.Kind.REPLY).count() == 1


def test_gateway_backend_posts_json_with_the_token(settings, monkeypatch):
    # Mocked: the HTTP SMS gateway is outside this machine; only the request it would receive is checked.
    settings.PORTAL_SMS_BACKEND = "portal.intake.sms.HttpGatewayBackend"
    settings.PORTAL_SMS_GATEWAY_URL = "https://sms.gateway.test/send"
    settings.PORTAL_SMS_GATEWAY_TOKEN = "gw-token"  # noqa: S105
    seen = {}

    class Response:
        status = 202

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def fake_urlopen(request, timeout):
        seen.update(url=request.full_url, body=request.data.decode(), auth=request.headers["Authorization"])
        return Response()

    monkeypatch.setattr("urllib.request.urlopen", fake_urlopen)
    assert sms.send_sms("+8613800000000", "你好") is True
    assert seen == {
        "url": "https://sms.gateway.test/send",
        "body": '{"to": "+8613800000000", "text": "你好"}',
        "auth": "Bearer gw-token",
    }


def test_sms_message_counts_in_queue_filter(fresh, desk, client):
    signed_post(client, {"from": "+8613912340004", "text": "LTK 查询"})
    client.force_login(desk)
    page = client.get("/admin/messages/?channel=sms").content.decode()
    assert fresh.get().reference in page
    assert Message.objects.filter(channel="sms").count() >= 1
