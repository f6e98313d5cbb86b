"""The message desk in the Wagtail admin: the queue, one message with its actions, and VIP customers.

Thin views: `access_message` checks the numeric id through IntakePolicy (404 for an unknown id, 403 without
the role); every POST calls exactly one action and redirects back with its message.
"""

from django.contrib import messages as flash
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts.queries import vip_customers
from portal.intake import actions, forms, privacy, queries
from portal.intake.actions import ActionRefused
from portal.intake.models import AuditEntry, Message
from portal.intake.policies import IntakePolicy


def _require_desk(user):
    if not (IntakePolicy.is_desk(user) or IntakePolicy.is_supervisor(user)):
        raise PermissionDenied


def access_message(user, pk):
    _require_desk(user)
    message = (
        IntakePolicy.visible_messages(user, Message.objects.select_related("assignee", "user")).filter(pk=pk).first()
    )
    if message is None or not IntakePolicy.can_view(user, message):
        raise Http404
    return message


def _desk_members():
    User = get_user_model()
    return list(
        User.objects.filter(Q(groups__name__in=("Message desk", "Supervisors")) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("email")
    )


def queue(request):
    _require_desk(request.user)
    form = forms.QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    if not request.GET:
        filters = {"status": "open"}
        form = forms.QueueFilterForm(initial=filters)
    now = timezone.now()
    page = queries.queue_page(filters, request.user, now=now)
    rows = queries.queue_rows(page.rows, now)
    next_query = ""
    if page.next_after:
        params = request.GET.copy()
        params["after"] = page.next_after
        next_query = params.urlencode()
    return render(
        request,
        "intake/admin/queue.html",
        {
            "page_title": _("Messages"),
            "header_icon": "mail",
            "form": form,
            "controls": form.controls(),
            "rows": rows,
            "next_query": next_query,
            "is_supervisor": IntakePolicy.is_supervisor(request.user),
        },
    )


def detail(request, pk):
    message = access_message(request.user, pk)
    entries = queries.conversation(message)
    for entry in entries:
        entry.masked_body = privacy.masked(entry.body)
    user = request.user
    return render(
        request,
        "intake/admin/detail.html",
        {
            "page_title": message.reference,
            "header_icon": "mail",
            "message": message,
            "subject": privacy.masked(message.subject),
            "entries": entries,
            "sla": message.sla_state(),
            "reply_form": forms.ReplyForm(language=message.language),
            "note_form": forms.NoteForm(),
            "duplicates": [(other, privacy.masked(other.subject)) for other in queries.duplicate_candidates(message)],
            "members": _desk_members() if IntakePolicy.is_supervisor(user) else [],
            "audit": list(AuditEntry.objects.filter(message=message).select_related("actor")[:50]),
            "can": {
                "claim": IntakePolicy.can_claim(user, message) and message.assignee_id != user.pk,
                "reply": IntakePolicy.can_reply(user, message),
                "close": IntakePolicy.can_close(user, message),
                "reopen": IntakePolicy.can_reopen(user, message),
                "hand_off": IntakePolicy.can_hand_off(user, message) and not message.kb_draft_id,
                "forum": IntakePolicy.can_publish_to_forum(user, message) and not message.forum_thread_id,
                "supervise": IntakePolicy.can_resolve_supervision(user, message),
                "assign": IntakePolicy.is_supervisor(user) and message.merged_into_id is None,
            },
            "contact": {
                "name": message.name,
                "email": message.email,
                "phone": message.phone,
            },
        },
    )


def _perform(request, message, action):
    user = request.user
    post = request.POST
    if action == "claim":
        actions.claim_message(user, message)
        return _("You took this message.")
    if action == "assign":
        assignee = next((m for m in _desk_members() if str(m.pk) == post.get("assignee", "")), None)
        if assignee is None:
            raise ActionRefused(_("Please choose a member of the message desk."), status=400)
        actions.assign_message(user, message, assignee)
        return _("Assigned to %(name)s.") % {"name": assignee.email}
    if action == "note":
        form = forms.NoteForm(post)
        if not form.is_valid():
            raise ActionRefused(_("Please write the note."), status=400)
        actions.add_note(user, message, form.cleaned_data["body"])
        return _("Note added.")
    if action == "reply":
        form = forms.ReplyForm(post, language=message.language)
        if not form.is_valid():
            errors = [str(e) for errs in form.errors.values() for e in errs]
            raise ActionRefused(" ".join(errors), status=400)
        actions.reply_to_message(user, message, form.cleaned_data["text"], close=form.cleaned_data["close"])
        return _("Reply sent.")
    if action == "close":
        actions.close_message(user, message)
        return _("Message closed.")
    if action == "reopen":
        actions.reopen_message(user, message)
        return _("Message reopened.")
    if action == "supervise":
        actions.resolve_supervision(user, message)
        return _("Taken out of the supervisor queue.")
    if action == "merge":
        target_id = post.get("target", "")
        target = access_message(user, int(target_id)) if target_id.isdigit() else None
        if target is None:
            raise Http404
        actions.merge_messages(user, message, target)
        return _("Merged into %(reference)s.") % {"reference": target.reference}
    if action == "kb_draft":
        article = actions.create_kb_draft(user, message)
        return _("Draft KB article “%(title)s” created for review.") % {"title": article.title}
    if action == "forum":
        written = actions.create_forum_thread(user, message)
        if written.pending:
            return _("Forum thread “%(title)s” created; it waits for a moderator's approval.") % {
                "title": written.thread.title
            }
        return _("Forum thread “%(title)s” published.") % {"title": written.thread.title}
    raise Http404


@require_POST
def act(request, pk, action):
    message = access_message(request.user, pk)
    try:
        text = _perform(request, message, action)
    except ActionRefused as exc:
        flash.error(request, exc.message)
    except ValidationError as exc:
        flash.error(request, " ".join(exc.messages))
    else:
        flash.success(request, text)
    if action == "merge" and message.merged_into_id is None:
        message.refresh_from_db()
    target = message.merged_into_id or message.pk
    return redirect(reverse("intake_admin:detail", args=[target]))


def vip(request):
    if not IntakePolicy.can_set_vip(request.user):
        raise PermissionDenied
    form = forms.VipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        User = get_user_model()
        customer = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if customer is None:
            form.add_error("email", _("There is no account with this e-mail address."))
        else:
            actions.set_vip(request.user, customer, vip=form.cleaned_data["vip"], mobile=form.cleaned_data["mobile"])
            flash.success(request, _("VIP status saved."))
            return redirect("intake_admin:vip")
    vips = vip_customers()
    return render(
        request,
        "intake/admin/vip.html",
        {"page_title": _("VIP customers"), "header_icon": "user", "form": form, "vips": vips},
    )
