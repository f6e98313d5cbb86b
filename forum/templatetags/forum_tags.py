"""Template helpers of the forum pages: initials for avatars, time left to a target, query-string links, the
moderator's menu under each post."""

from types import SimpleNamespace

from django import template
from django.template.loader import get_template
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

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


# Stand-ins for a post's id and its author's while mod_post_menu renders one kind of post: digits, as the
# addresses take only numbers, and neither a part of the other nor of anything else the menu prints.
POST_STAND_IN = "918273645501"
AUTHOR_STAND_IN = "918273645502"


@register.simple_tag(takes_context=True)
def mod_post_menu(context, post, is_question=False):
    """forum/includes/mod_post_menu.html for one post.

    Posts differ in that menu only by their state, being the question or not, having an author or not, and the
    two ids: each kind is rendered once per request with stand-in ids, then copied with the post's own (fifty
    renders of the template were a third of a moderator's page of replies)."""
    author = post.author
    kind = (post.state, bool(is_question), author is not None)
    request = context.get("request")
    menus = getattr(request, "_forum_mod_post_menus", None) if request is not None else None
    if menus is None:
        menus = {}
        if request is not None:
            request._forum_mod_post_menus = menus
    if kind not in menus:
        stand_in = SimpleNamespace(
            pk=POST_STAND_IN, state=post.state, author=SimpleNamespace(pk=AUTHOR_STAND_IN) if author else None
        )
        with context.push(post=stand_in, is_question=is_question):
            menus[kind] = get_template("forum/includes/mod_post_menu.html").template.render(context)
    html = menus[kind].replace(POST_STAND_IN, str(post.pk))
    if author is not None:
        html = html.replace(AUTHOR_STAND_IN, str(author.pk))
    return mark_safe(html)  # noqa: S308 - the template's own output, escaped there; only ids replaced
