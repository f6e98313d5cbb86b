"""Recognising a returning visitor without an account, for "one vote per visitor and article".

The browser keeps a random id in a signed cookie; the database only ever sees a SHA-256 of it (or of the
account id for signed-in readers), which cannot be linked to anything else. The cookie is set only when a
visitor votes, never on a plain read.
"""

import hashlib
import secrets

from django.conf import settings

COOKIE = "kb_visitor"
SALT = "kb.visitor"
MAX_AGE = 365 * 24 * 3600


def visitor_id(request):
    """The id in the visitor's cookie, or None (missing or tampered with)."""
    return request.get_signed_cookie(COOKIE, default=None, salt=SALT, max_age=MAX_AGE)


def visitor_key(request, vid=None):
    """The stored key of this reader: their account if signed in, else the cookie id; None when neither."""
    if request.user.is_authenticated:
        raw = f"user:{request.user.pk}"
    else:
        vid = vid or visitor_id(request)
        if not vid:
            return None
        raw = f"visitor:{vid}"
    return hashlib.sha256(raw.encode()).hexdigest()


def ensure_visitor(request):
    """(id, is_new): the visitor's id, minting one when they have none."""
    vid = visitor_id(request)
    if vid:
        return vid, False
    return secrets.token_urlsafe(18), True


def remember(response, vid):
    response.set_signed_cookie(
        COOKIE,
        vid,
        salt=SALT,
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response
