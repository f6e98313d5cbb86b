"""Template helpers of the forum pages: initials for avatars, time left to a target, query-string links, each
post's cached part, the list of a page's replies, a reader's actions and the moderator's menu under each post."""

from types import SimpleNamespace

from django import template
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from forum import caching
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


# Around the "new" badge in a post's cached part: kept for a reader who has not read the post, else cut out.
NEW_START, NEW_END = "<!--new-->", "<!--/new-->"


FRAGMENT_TEMPLATE = "forum/includes/post_fragment.html"


def _render(context, template_name, **values):
    """`template_name` rendered in the page's context with `values` added, as an include would."""
    with context.push(**values):
        return str(context.template.engine.get_template(template_name).render(context))


def _fragment(context, post):
    """The part of `post` every reader sees alike (FRAGMENT_TEMPLATE, its <article> left open), with this
    reader's "new" mark. The view has read it from the forum_posts cache (`post.fragment`,
    forum.caching.read_post_fragments) under `post.fragment_key`; when it was not there, it is rendered and kept
    under that key. What differs from reader to reader, the mark of a post they have not read (`post.is_unread`),
    is put in or cut out here, so every reader shares one copy."""
    html = getattr(post, "fragment", None)
    if html is None:
        html = _render(context, FRAGMENT_TEMPLATE, post=post)
        key = getattr(post, "fragment_key", None)
        if key is not None:
            caching.keep_post_fragment(key, html)
    if getattr(post, "is_unread", False):
        html = html.replace('class="forum-post', 'class="forum-post is-unread', 1).replace(NEW_START, "", 1)
        return html.replace(NEW_END, "", 1)
    head, found, rest = html.partition(NEW_START)
    return head + rest.partition(NEW_END)[2] if found else html


@register.simple_tag(takes_context=True)
def post_fragment(context):
    """{% post_fragment %}: `post`'s part every reader sees alike (_fragment), its <article> left open."""
    return mark_safe(_fragment(context, context["post"]))  # noqa: S308 - the template's output, escaped there


@register.simple_tag(takes_context=True)
def reply_list(context, posts):
    """{% reply_list replies.posts %}: the page's replies, each in an <li> as forum/includes/post.html shows a
    post (the shared part, then the signed-in reader's actions, then </article>), in one loop here: fifty
    includes of that template were a fifth of a moderator's page."""
    user = context.get("user")
    signed_in = user is not None and user.is_authenticated
    page_kind = _page_kind(context)
    parts = []
    for post in posts:
        parts.append("<li>")
        parts.append(_fragment(context, post))
        if signed_in:
            parts.append(_actions(context, post, page_kind))
        parts.append("</article></li>")
    return mark_safe("".join(parts))  # noqa: S308 - the templates' output, escaped there


# Stand-ins for a post's id and its author's while one kind of post's block is rendered: digits, as the
# addresses take only numbers, and neither a part of the other nor of anything else the blocks print.
POST_STAND_IN = "918273645501"
AUTHOR_STAND_IN = "918273645502"


def _rendered_once(context, template_name, kind, stand_in, ids, **values):
    """`template_name` rendered once per request for each `kind` of post (with `stand_in` as the post and the
    stand-in ids), then copied for a post with its own `ids` ({stand-in: real id}) filled in."""
    request = context.get("request")
    memo = request.__dict__.setdefault("_forum_rendered_once", {}) if request is not None else {}
    if (template_name, kind) not in memo:
        memo[template_name, kind] = _render(context, template_name, post=stand_in, **values)
    html = memo[template_name, kind]
    for stand_in_id, real_id in ids.items():
        html = html.replace(stand_in_id, str(real_id))
    return mark_safe(html)  # noqa: S308 - the template's own output, escaped there; only ids replaced


@register.simple_tag(takes_context=True)
def post_actions(context):
    """The signed-in reader's actions under `post` (quote, accept, edit, delete, report; a moderator's menu).

    The block differs from post to post only by the post's id, its author's id (in a moderator's menu) and by the
    answers the view worked out (forum.views.threads: can_edit, can_delete, can_flag, is_accepted), so it is
    rendered once per page for each combination of those (with the post's state, whether it has an author) and
    the ids filled in: twenty report forms, or fifty moderators' menus, cost one. Its CSRF token is then the
    same on every form of the page, as any masked form of the reader's token is valid.
    """
    return _actions(context, context["post"], _page_kind(context))


def _page_kind(context):
    """What the actions under every post of this page depend on alike: a reply form, the right to accept, the
    post being the question, the reader moderating the board."""
    return (
        bool(context.get("form")),
        bool(context.get("can_accept")),
        bool(context.get("is_question")),
        bool(context.get("moderator")),
    )


def _actions(context, post, page_kind):
    moderator = page_kind[-1]
    answers = {
        "state": post.state,
        "is_accepted": getattr(post, "is_accepted", False),
        "can_edit": post.can_edit,
        "can_delete": post.can_delete,
        "can_flag": post.can_flag,
    }
    kind = page_kind + tuple(answers.values())
    ids = {POST_STAND_IN: post.pk}
    if moderator:  # the menu links to the author's page: their id is a stand-in too
        author = post.author
        kind += (author is not None,)
        answers["author"] = SimpleNamespace(pk=AUTHOR_STAND_IN) if author else None
        if author is not None:
            ids[AUTHOR_STAND_IN] = author.pk
    stand_in = SimpleNamespace(pk=POST_STAND_IN, **answers)
    return _rendered_once(context, "forum/includes/post_actions.html", kind, stand_in, ids)


@register.simple_tag(takes_context=True)
def mod_post_menu(context, post, is_question=False):
    """forum/includes/mod_post_menu.html for one post.

    Posts differ in that menu only by their state, being the question or not, having an author or not, and the
    two ids: each kind is rendered once per request with stand-in ids, then copied with the post's own (fifty
    renders of the template were a third of a moderator's page of replies)."""
    author = post.author
    kind = (post.state, bool(is_question), author is not None)
    stand_in = SimpleNamespace(
        pk=POST_STAND_IN, state=post.state, author=SimpleNamespace(pk=AUTHOR_STAND_IN) if author else None
    )
    ids = {POST_STAND_IN: post.pk, **({AUTHOR_STAND_IN: author.pk} if author else {})}
    return _rendered_once(context, "forum/includes/mod_post_menu.html", kind, stand_in, ids, is_question=is_question)
