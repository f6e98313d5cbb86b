"""Template helpers of the videos area: JSON-LD and an episode's status."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from videos import queries

register = template.Library()


@register.filter
def video_ld_json(data):
    """<script type="application/ld+json"> data block (CSP does not run it); nothing can close it early."""
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(queries.ld_json(data)))  # noqa: S308


@register.filter
def status_of(episode):
    return episode.status()
