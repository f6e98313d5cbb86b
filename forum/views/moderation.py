"""The moderation queues (pending, flagged, SLA), the audit log and a member's moderation page."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from forum import actions, forms, queries
from forum.actions import ActionRefused
from forum.models import AuditEntry
from forum.policies import ForumPolicy
from forum.views.base import (
    attach_urls,
    parse_int,
)


def _moderator_only(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not ForumPolicy.can_use_queues(request.user):
        raise PermissionDenied
    return None


def _queue(request, template, breached=None, **context):
    context.setdefault("mine", bool(request.GET.get("mine")))
    context["counts"] = queries.queue_counts(request.user, breached=breached)
    context["can_view_audit"] = ForumPolicy.can_view_audit(request.user)
    return TemplateResponse(request, template, context)


def moderation_home(request):
    return redirect("forum:sla")


def pending_queue(request):
    if (response := _moderator_only(request)) is not None:
        return response
    posts = queries.pending_posts(request.user, mine=bool(request.GET.get("mine")))
    attach_urls(request, [post.thread for post in posts])
    return _queue(request, "forum/moderation/pending.html", posts=posts, tab="pending")


def flagged_queue(request):
    if (response := _moderator_only(request)) is not None:
        return response
    posts = queries.flagged_posts(request.user, mine=bool(request.GET.get("mine")))
    attach_urls(request, [post.thread for post in posts])
    return _queue(request, "forum/moderation/flagged.html", posts=posts, tab="flagged")


def sla_queue(request):
    if (response := _moderator_only(request)) is not None:
        return response
    mine = bool(request.GET.get("mine"))
    page = queries.sla_queue(request.user, mine=mine, cursor=request.GET.get("after"))
    labels = queries.board_labels(request)
    for row in page.rows:
        row.board = labels[row.thread.board_id]
        row.thread.url = row.thread.get_absolute_url(row.board.url)
    return _queue(
        request,
        "forum/moderation/sla.html",
        rows=page.rows,
        totals=page.totals,
        next_cursor=page.next_cursor,
        tab="sla",
        # The whole queue's totals are the tab's badge too, unless the page lists only the boards one is named on.
        breached=None if mine else page.totals["breached"],
    )


def audit_log(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not ForumPolicy.can_view_audit(request.user):
        raise PermissionDenied
    action = request.GET.get("action") or ""
    entries, more = queries.audit_entries(before=parse_int(request.GET.get("before")), action=action)
    attach_urls(request, [entry.thread for entry in entries])
    return _queue(
        request,
        "forum/moderation/audit.html",
        entries=entries,
        more=more,
        action=action,
        action_choices=AuditEntry.Action.choices,
        tab="audit",
    )


def user_moderation(request, user_id):
    if (response := _moderator_only(request)) is not None:
        return response
    target = get_object_or_404(get_user_model(), pk=user_id)
    form = forms.SanctionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                told = True
                if data["kind"] == "warn":
                    actions.warn_user(request.user, target, data["reason"])
                elif data["kind"] == "suspend":
                    actions.suspend_user(request.user, target, data["days"] or 0, data["reason"])
                elif data["kind"] == "ban":
                    actions.ban_user(request.user, target, data["reason"])
                else:
                    told = bool(actions.lift_sanctions(request.user, target, data["reason"]))
            except ActionRefused as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                if told:
                    messages.success(request, _("Done. The member was told by e-mail."))
                else:
                    messages.info(request, _("This member has no suspension or ban to lift."))
                return redirect("forum:user", user_id=target.pk)
    posts = queries.recent_posts_of(request.user, target)
    attach_urls(request, [post.thread for post in posts])
    context = {
        "target": target,
        "form": form,
        "sanctions": queries.user_sanctions(target),
        "posts": posts,
        "can_sanction": ForumPolicy.can_sanction(request.user, target),
        "active": ForumPolicy.active_sanction(target),
        "tab": "",
    }
    response = _queue(request, "forum/moderation/user.html", **context)
    response.status_code = status
    return response
