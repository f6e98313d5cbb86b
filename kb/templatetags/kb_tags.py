"""Template helpers of the knowledge base: JSON-LD emitted safely, and small formatting filters."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The escapes of django.utils.html.json_script: nothing inside can close the <script> element or open a
# comment, whatever the article says.
_JSON_SCRIPT_ESCAPES = {
    ord(">"): "\\u003E",
    ord("<"): "\\u003C",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


@register.filter
def ld_json(value):
    """<script type="application/ld+json"> with `value` as JSON. A data block: CSP does not run it."""
    if not value:
        return ""
    data = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    escaped = mark_safe(data.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308 - JSON with <, >, & escaped
    return format_html('<script type="application/ld+json">{}</script>', escaped)


@register.filter
def channel_labels(codes):
    from kb.models import Channel

    labels = dict(Channel.choices)
    return [labels[code] for code in codes or [] if code in labels]


@register.filter
def table_rows(table):
    """Rows of a typed table as [(column heading, bound cell block)], for labelled cells on phones."""
    headings = [column["heading"] for column in table.columns]
    return [list(zip(headings, row, strict=False)) for row in table.rows]


@register.simple_tag(takes_context=True)
def kb_can_open(context, article):
    """May the reader of this page follow a link to `article`? Asks KBPolicy with the request's user."""
    from kb.policies import KBPolicy

    request = context.get("request")
    if article is None or not getattr(article, "live", False) or request is None:
        return False
    return KBPolicy.can_view(request.user, article)
