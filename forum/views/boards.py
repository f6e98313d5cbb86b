"""The board page (thread list) and starting a new thread."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from forum import actions, caching, forms, queries
from forum.actions import ActionRefused
from forum.policies import ForumPolicy
from forum.views.base import (
    flash_notices,
)
from portal.core import pagecache
from portal.core.net import client_ip


def board(request, board_page):
    pagecache.allow(request, caching.BOARDS)
    status = request.GET.get("status") or ""
    listing = queries.board_threads(request.user, board_page, request.GET.get("after"), status)
    board_url = board_page.get_url(request)
    for thread in listing.pinned + listing.threads:
        thread.url = thread.get_absolute_url(board_url)
    context = {
        "page": board_page,
        "self": board_page,
        "listing": listing,
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
