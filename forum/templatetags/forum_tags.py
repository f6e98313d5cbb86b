"""Template helpers of the forum pages: initials for avatars, time left to a target, query-string links, a
reader's actions and the moderator's menu under each post."""

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


# Stands for the post's id while a reader's actions are rendered once for every post alike; no other text in
# that block is a number this long.
_POST_ID = 987_654_321_987_654
_ACTIONS = "forum/includes/post_actions.html"


@register.simple_tag(takes_context=True)
def post_actions(context):
    """The signed-in reader's actions under `post` (quote, accept, edit, delete, report).

    For a customer the block differs from post to post only by the post's id and by the answers the view worked
    out (forum.views.threads: can_edit, can_delete, can_flag, is_accepted), so it is rendered once per page for
    each combination of those and the id filled in: twenty report forms cost one. Its CSRF token is then the
    same on every form of the page, as any masked form of the reader's token is valid. A moderator's menu
    carries more of each post (its author, its state): rendered for each post.
    """
    post = context["post"]
    template_ = context.template.engine.get_template(_ACTIONS)
    if context.get("moderator"):
        return template_.render(context)
    key = (
        bool(context.get("form")),
        bool(context.get("can_accept")),
        bool(context.get("is_question")),
        post.state,
        getattr(post, "is_accepted", False),
        post.can_edit,
        post.can_delete,
        post.can_flag,
    )
    request = context.get("request")
    memo = request.__dict__.setdefault("_forum_post_actions", {}) if request is not None else {}
    if key not in memo:
        stand_in = SimpleNamespace(
            pk=_POST_ID,
            state=post.state,
            is_accepted=key[4],
            can_edit=post.can_edit,
            can_delete=post.can_delete,
            can_flag=post.can_flag,
        )
        with context.push(post=stand_in):
            memo[key] = str(template_.render(context))
    return mark_safe(memo[key].replace(str(_POST_ID), str(post.pk)))  # noqa: S308 - our template, an int id


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
