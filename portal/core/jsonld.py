"""JSON-LD for a <script type="application/ld+json"> block, escaped so nothing inside can end it.

The escapes are those of django.utils.html.json_script: <, > and & (so "</script>" or "<!--" in a
customer's text cannot close the element or open a comment) and U+2028/U+2029 (line separators that
older JavaScript parsers treat as line ends). A data block: the CSP does not run it.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

_ESCAPES = {
    ord(">"): "\\u003E",
    ord("<"): "\\u003C",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def dumps(data):
    """The JSON text of `data`, escaped for a <script> element (still valid JSON)."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)


def json_ld(data):
    """The whole <script type="application/ld+json"> element for `data`, or "" when there is nothing."""
    if not data:
        return ""
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(dumps(data)))  # noqa: S308
