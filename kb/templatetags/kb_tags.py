"""Template helpers of the knowledge base: JSON-LD emitted safely, and small formatting filters."""

from django import template

from portal.core.jsonld import json_ld

register = template.Library()


@register.filter
def ld_json(value):
    """<script type="application/ld+json"> with `value` as JSON (portal.core.jsonld: nothing can close it)."""
    return json_ld(value)


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
