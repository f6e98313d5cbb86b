"""Template helpers of the videos area: JSON-LD and an episode's status."""

from django import template

from portal.core.jsonld import json_ld

register = template.Library()


@register.filter
def video_ld_json(data):
    """<script type="application/ld+json"> data block (CSP does not run it); nothing can close it early."""
    return json_ld(data)


@register.filter
def status_of(episode):
    return episode.status()
