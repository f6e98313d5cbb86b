"""The board page (thread list) and starting a new thread."""

from dataclasses import dataclass

from django.contrib.auth.views import redirect_to_login
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import ngettext

from forum import actions, caching, forms, queries
from forum.actions import ActionRefused
from forum.policies import ForumPolicy
from forum.views.base import (
    flash_notices,
)
from portal.core import pagecache
from portal.core.net import client_ip


@dataclass(frozen=True)
class ThreadRow:
    """One line of the board's list: what the template prints, worked out once here (no lookups, tags or filters
    per row in the template)."""

    url: str
    title: str
    is_pinned: bool
    is_unread: bool
    status: str
    awaiting_first_response: bool
    state: str
    is_locked: bool
    author_name: str | None  # None: the asker's account is gone
    replies: str  # "3 replies", in the reader's language
    last_post_ago: str  # "2 hours ago" (humanize's naturaltime)
    last_post_iso: str  # what {{ last_post_at|date:"c" }} printed, in the reader's time zone


def thread_rows(listing, board_url):
    """The listing's pinned threads, then the rest, as ThreadRows."""
    return [
        ThreadRow(
            url=thread.get_absolute_url(board_url),
            title=thread.title,
            is_pinned=thread.is_pinned,
            is_unread=thread.pk in listing.unread,
            status=thread.status,
            awaiting_first_response=thread.first_response_at is None,
            state=thread.state,
            is_locked=thread.is_locked,
            author_name=thread.author.public_name if thread.author_id else None,
            replies=ngettext("%(n)s reply", "%(n)s replies", thread.reply_count) % {"n": thread.reply_count},
            last_post_ago=naturaltime(thread.last_post_at),
            last_post_iso=timezone.localtime(thread.last_post_at).isoformat(),
        )
        for thread in listing.pinned + listing.threads
    ]


def board(request, board_page):
    pagecache.allow(request, caching.BOARDS)
    status = request.GET.get("status") or ""
    listing = queries.board_threads(request.user, board_page, request.GET.get("after"), status)
    board_url = board_page.get_url(request)
    context = {
        "page": board_page,
        "self": board_page,
        "listing": listing,
        "rows": thread_rows(listing, board_url),
        "board_url": board_url,
        "status": status if status in queries.STATUS_FILTERS else "",
        "refusal": ForumPolicy.posting_refusal(request.user, board_page) if request.user.is_authenticated else None,
        "moderator": ForumPolicy.can_moderate(request.user, board_page),
    }
    return TemplateResponse(request, "forum/board_page.html", context)


def new_thread(request, board_page):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    refusal = ForumPolicy.posting_refusal(request.user, board_page)
    moderator = ForumPolicy.can_moderate(request.user, board_page)
    polls = board_page.polls_allowed or moderator
    status = 200
    if request.method == "POST" and not refusal:
        form = forms.ThreadForm(request.POST, request.FILES, polls=polls)
        status = 400
        if form.is_valid():
            try:
                written = actions.create_thread(
                    request.user,
                    board_page,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    images=form.cleaned_data["images"],
                    poll=form.poll(),
                    ip=client_ip(request),
                )
            except ActionRefused as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                flash_notices(request, written.notices)
                return redirect(written.thread.get_absolute_url(board_page.get_url(request)))
    else:
        form = forms.ThreadForm(polls=polls)
    context = {"page": board_page, "self": board_page, "form": form, "refusal": refusal}
    return TemplateResponse(request, "forum/new_thread.html", context, status=403 if refusal else status)
