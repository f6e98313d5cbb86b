"""Shared by the forum's views: access helpers that fetch and authorise (404 when the reader may not know
the object exists), safe redirects, and the runner of one-click post and thread actions."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from forum import queries
from forum.actions import ActionRefused
from forum.policies import ForumPolicy


def access_thread(request, thread_id):
    thread = queries.thread_for_view(thread_id)
    if thread is None or not ForumPolicy.can_view_thread(request.user, thread):
        raise Http404
    return thread


def access_post(request, post_id):
    post = queries.locate_post(request.user, post_id)
    if post is None or not ForumPolicy.can_view_post(request.user, post):
        raise Http404
    return post


def safe_next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def parse_int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def post_url(post, thread=None):
    thread = thread or post.thread
    url = thread.get_absolute_url()
    if post.is_opening:
        return f"{url}#{post.anchor}"
    return f"{url}?at={post.pk}#{post.anchor}"


def attach_urls(request, threads):
    """Give each thread a .url, computing each board's address once (no per-row site lookup)."""
    bases = {}
    for thread in threads:
        if thread is None:
            continue
        if thread.board_id not in bases:
            bases[thread.board_id] = thread.board.get_url(request)
        thread.url = thread.get_absolute_url(bases[thread.board_id])
    return threads


def flash_notices(request, notices):
    for notice in notices:
        messages.info(request, notice)


def reason_of(request):
    return (request.POST.get("reason") or "").strip()


def seen_state(request):
    """The state the moderator's page showed the post in (the form's hidden `state`), or None."""
    return (request.POST.get("state") or "").strip() or None


def simple_action(function, message, reason=True, seen=False):
    """A handler that calls one action with the user, the post or thread (and the reason typed, if the action
    takes one; the state the page showed, for moderators' decisions) and flashes `message()` (a callable:
    translated in the request's language)."""

    def handler(request, target):
        extra = {"expected_state": seen_state(request)} if seen else {}
        function(request.user, target, *([reason_of(request)] if reason else []), **extra)
        return message(), None

    return handler


def run_action(request, handler, load, fallback_of):
    """Run one moderator or reader action from a POST: sign-in first, then the object (404 when the reader may
    not see it), then the handler; its message is flashed and the reader goes back (or where it says)."""
    if handler is None:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    target_object = load()
    fallback = fallback_of(target_object)
    try:
        message, target = handler(request, target_object)
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return redirect(safe_next(request, fallback))
    messages.success(request, message)
    return redirect(target or safe_next(request, fallback))
