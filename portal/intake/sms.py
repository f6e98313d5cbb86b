"""Outgoing SMS through a backend chosen like Django's EMAIL_BACKEND (`PORTAL_SMS_BACKEND`).

- `portal.intake.sms.ConsoleBackend` (the default): writes each text to standard output.
- `portal.intake.sms.LocmemBackend` (tests): keeps the texts in `portal.intake.sms.outbox`.
- `portal.intake.sms.HttpGatewayBackend`: POSTs JSON `{"to": "+86...", "text": "..."}` to
  `PORTAL_SMS_GATEWAY_URL` with `Authorization: Bearer PORTAL_SMS_GATEWAY_TOKEN`; any 2xx is success.
  Most gateways accept this shape or a small adapter in front of them.

`send_sms(to, text)` returns True when the backend accepted the text; failures are logged (never the token).
"""

import json
import logging
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

outbox = []  # LocmemBackend's sent texts (tests read and clear it)


@dataclass
class Sms:
    to: str
    text: str


class BaseBackend:
    def send(self, sms):
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    def send(self, sms):
        sys.stdout.write(f"SMS to {sms.to}: {sms.text}\n")
        return True


class LocmemBackend(BaseBackend):
    def send(self, sms):
        outbox.append(sms)
        return True


class HttpGatewayBackend(BaseBackend):
    def send(self, sms):
        url = settings.PORTAL_SMS_GATEWAY_URL
        if not url.startswith(("https://", "http://")):
            logger.error("sms: PORTAL_SMS_GATEWAY_URL is not an http(s) URL")
            return False
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            url,
            data=json.dumps({"to": sms.to, "text": sms.text}, ensure_ascii=False).encode(),
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {settings.PORTAL_SMS_GATEWAY_TOKEN}",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.PORTAL_SMS_GATEWAY_TIMEOUT) as response:  # noqa: S310
                return 200 <= response.status < 300
        except (urllib.error.URLError, OSError) as exc:
            logger.warning("sms: gateway refused a text to %s****: %s", sms.to[:-8], type(exc).__name__)
            return False


def get_backend():
    return import_string(settings.PORTAL_SMS_BACKEND)()


def send_sms(to, text):
    if not to:
        return False
    return get_backend().send(Sms(to=to, text=text))
