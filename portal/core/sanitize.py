"""The one sanitiser for HTML that came from outside (customers' posts, imported articles).

bleach is no longer developed upstream, so nothing else in the project imports it: every caller goes
through `clean_html`, with this one allow-list. The strict Content-Security-Policy (portal/core/csp.py) is the
second wall. Editors' rich text from Wagtail's own editor is trusted and does not pass through here.
"""

import re
from functools import lru_cache

import bleach
from bleach.linkifier import Linker
from django.utils.safestring import mark_safe

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "s",
        "del",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "h2",
        "h3",
        "h4",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "img",
        "span",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "img": ["src", "alt", "title", "width", "height"],
    "th": ["align"],
    "td": ["align"],
    "ol": ["start"],
    "span": ["class"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"


def _set_rel(attrs, new=False):
    href_key = (None, "href")
    if href_key not in attrs:
        return attrs
    attrs[(None, "rel")] = LINK_REL
    return attrs


def _only_local_images(tag, name, value):
    if tag == "img" and name == "src":
        # Images must come from our own media storage: no tracking pixels, no mixed content.
        return value.startswith("/media/")
    if tag == "span" and name == "class":
        return value in {"mention", "masked"}
    return name in ALLOWED_ATTRIBUTES.get(tag, [])


@lru_cache(maxsize=1)
def _cleaner():
    attributes = dict.fromkeys(ALLOWED_ATTRIBUTES, _only_local_images)
    return bleach.Cleaner(
        tags=ALLOWED_TAGS, attributes=attributes, protocols=ALLOWED_PROTOCOLS, strip=True, strip_comments=True
    )


@lru_cache(maxsize=1)
def _linker():
    return Linker(callbacks=[_set_rel], skip_tags={"pre", "code"}, parse_email=False)


def clean_html(html):
    """Sanitise untrusted HTML with the allow-list; links get rel="nofollow ugc noopener". Returns safe markup."""
    cleaned = _cleaner().clean(html or "")
    return mark_safe(_linker().linkify(cleaned))  # noqa: S308 - output of the allow-list sanitiser


# What bleach would change in a text: markup and entities, and what HTML parsing rewrites (carriage returns,
# NUL and other control characters, non-characters, a byte-order mark); astral characters are left to bleach.
_NOT_PLAIN = re.compile(
    "[<>&\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufeff\ufffe\uffff\U00010000-\U0010ffff]"
)


def strip_tags(html):
    """Plain text of untrusted HTML (for titles, search snippets, e-mail subjects).

    Text with nothing bleach would change is returned as it is (an import's titles and tags, mostly)."""
    if not _NOT_PLAIN.search(html or ""):
        return html or ""
    return bleach.clean(html or "", tags=set(), strip=True, strip_comments=True)
