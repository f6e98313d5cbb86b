"""Signed one-click unsubscribe tokens for forum e-mail (user, kind of e-mail, thread for reply mail)."""

from django.contrib.auth import get_user_model
from django.core import signing
from django.utils.translation import gettext as _

from forum.models import EmailOptOut, Thread

UNSUBSCRIBE_SALT = "forum.unsubscribe"


class InvalidToken(ValueError):
    """The link was altered, or names an account or thread that is gone; `message` is for the reader."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def unsubscribe_token(user, kind, thread=None):
    return signing.dumps({"u": user.pk, "k": kind, "t": thread.pk if thread else None}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """(user, kind, thread or None) from a signed token, or raise InvalidToken."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = get_user_model().objects.get(pk=data["u"])
    except (signing.BadSignature, KeyError, TypeError, get_user_model().DoesNotExist) as exc:
        raise InvalidToken(_("This unsubscribe link is not valid.")) from exc
    kind = data.get("k")
    thread = Thread.objects.filter(pk=data.get("t")).first() if data.get("t") else None
    if kind not in EmailOptOut.Kind.values or (kind == EmailOptOut.Kind.REPLIES and thread is None):
        raise InvalidToken(_("This unsubscribe link is not valid."))
    return user, kind, thread
