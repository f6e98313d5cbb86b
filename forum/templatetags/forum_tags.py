"""Template helpers of the forum pages: initials for avatars, time left to a target, query-string links, and a
reader's actions under each post."""

from types import SimpleNamespace

from django import template
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
