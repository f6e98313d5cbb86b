"""Template tags of the message board for pages other apps own (the profile lists the customer's messages)."""

from django import template

from portal.intake import queries

register = template.Library()


@register.simple_tag
def my_messages(user):
    return queries.messages_of(user, limit=20)
