"""Template helpers of the forum pages: initials for avatars, time left to a target, query-string links."""

from django import template
from django.utils.http import urlencode

from portal.core.jsonld import json_ld

register = template.Library()


@register.filter
def initials(user):
    name = user.public_name if user else "?"
    return (name.strip() or "?")[0].upper()


@register.simple_tag
def jsonld(data):
    """A QAPage JSON-LD block (forum.views._qa_jsonld), escaped by the core's one JSON-LD writer."""
    return json_ld(data)


@register.simple_tag
def query(**params):
    """?a=1&b=2 from the non-empty params."""
    clean = {key: value for key, value in params.items() if value not in (None, "", False)}
    return "?" + urlencode(clean) if clean else "?"
