"""Customer pages of the message board, the inbound SMS webhook and the agents' call log. Thin: parse, access,
one action, render or redirect. Staff pages live in the Wagtail admin (portal/intake/admin_views.py)."""

import hashlib
import hmac
import logging
import secrets
import time

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from portal.core import private_media, ratelimit
from portal.core.net import client_ip
from portal.intake import actions, forms, queries
from portal.intake.actions import ActionRefused
from portal.intake.models import Entry, Message
from portal.intake.policies import IntakePolicy

logger = logging.getLogger(__name__)
DEFLECT_SIZE = 5


def access_message_by_token(token):
    """The message behind a tracking token; 404 for an unknown token (nothing says why)."""
    message = Message.objects.filter(tracking_token=token, anonymised_at=None).first()
    if message is None or not token:
        raise Http404
    return message


def _initial(user):
    if not user.is_authenticated:
        return {}
    return {"name": user.display_name, "email": user.email}


def find_answers(query, language):
    """Up to 5 public answers for the no-JS preview, through the finder the search app registers (a setting)."""
    if not (query or "").strip():
        return []
    try:
        finder = import_string(settings.PORTAL_INTAKE_ANSWER_FINDER)
        return list(finder(query, locale=language, size=DEFLECT_SIZE))[:DEFLECT_SIZE]
    except Exception:  # deflection is a help, never a reason the form fails
        logger.exception("intake: the answer finder failed")
        return []


def _search_api_url():
    try:
        return reverse("api_search")
    except Exception:  # noqa: BLE001 - no search API installed: the page works without suggestions
        return ""


@never_cache
@require_http_methods(["GET", "POST"])
def new_message(request):
    language = translation.get_language()
    answers = []
    preview = False
    if request.method == "POST":
        form = forms.MessageForm(request.POST, request.FILES)
        preview = "preview" in request.POST
        if form.is_valid() and not preview:
            data = form.cleaned_data
            try:
                message, _created = actions.submit_message(
                    kind=data["kind"],
                    category=data["category"],
                    subject=data["subject"],
                    body=data["body"],
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    language=language,
                    user=request.user,
                    picture=data.get("picture"),
                    forum_consent=data["forum_consent"],
                    submit_key=data["submit_key"] or None,
                    ip=client_ip(request),
                )
            except ValidationError as exc:
                form.add_error("picture", exc)
            except ActionRefused as exc:
                form.add_error(None, exc.message)
                return render(request, "intake/new.html", _form_context(form, answers, preview), status=exc.status)
            else:
                flash.success(
                    request,
                    _("Thank you. Your reference is %(reference)s. Keep this page's address to follow your message.")
                    % {"reference": message.reference},
                )
                return redirect("intake:track", token=message.tracking_token)
        if preview:
            # The preview step shows answers, not errors: the form comes back as typed (the picture is asked
            # for again at the end, a file cannot be kept across a page).
            answers = find_answers(request.POST.get("subject", ""), language)
            typed = {name: request.POST.get(name) for name in form.fields if name in request.POST}
            form = forms.MessageForm(initial=typed)
            return render(request, "intake/new.html", _form_context(form, answers, preview))
        return render(request, "intake/new.html", _form_context(form, answers, preview), status=400)
    form = forms.MessageForm(initial={**_initial(request.user), "submit_key": secrets.token_urlsafe(24)})
    return render(request, "intake/new.html", _form_context(form, answers, preview))


def _form_context(form, answers, preview):
    return {"form": form, "answers": answers, "preview": preview, "search_api": _search_api_url()}


@require_POST
def solved(request):
    """'This solved it' on an answer shown before asking: a Deflection row, no message."""
    form = forms.DeflectionForm(request.POST)
    if not form.is_valid():
        return render(request, "intake/solved.html", {"error": True}, status=400)
    if not ratelimit.hit(f"intake:deflect:{client_ip(request)}", 30, 600):
        return render(request, "intake/solved.html", {"error": True}, status=429)
    data = form.cleaned_data
    try:
        actions.record_deflection(
            query=data["query"],
            url=data["url"],
            title=data["title"],
            result_kind=data["kind"],
            language=translation.get_language(),
            source=data["source"] or "preview",
            user=request.user,
        )
    except ActionRefused as exc:
        return render(request, "intake/solved.html", {"error": True}, status=exc.status)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"ok": True})
    return render(request, "intake/solved.html", {"url": data["url"], "title": data["title"]})


@never_cache
@require_http_methods(["GET", "POST"])
def track(request, token):
    message = access_message_by_token(token)
    info_form = forms.InformationForm()
    status = 200
    if request.method == "POST":
        info_form = forms.InformationForm(request.POST)
        if info_form.is_valid():
            try:
                actions.add_customer_information(message, info_form.cleaned_data["body"], user=request.user)
            except ActionRefused as exc:
                info_form.add_error("body", exc.message)
                status = exc.status
            else:
                flash.success(request, _("Thank you, we added this to your message."))
                return redirect("intake:track", token=token)
        else:
            status = 400
    return render(request, "intake/track.html", _track_context(message, info_form), status=status)


@never_cache
@require_http_methods(["GET", "HEAD"])
def track_picture(request, token):
    """The picture the customer sent, for whoever holds the tracking link; 404 for everyone else."""
    message = access_message_by_token(token)
    if not message.picture:
        raise Http404
    return private_media.serve(message.picture)


@never_cache
@require_http_methods(["GET", "HEAD"])
def desk_picture(request, pk):
    """The picture of a message for the staff the intake policy lets see it; 404 for everyone else (signed out,
    customers, staff without the role), so nothing tells a stranger that the message exists."""
    message = IntakePolicy.visible_messages(request.user, Message.objects.all()).filter(pk=pk).first()
    if message is None or not IntakePolicy.can_view_picture(request.user, message):
        raise Http404
    return private_media.serve(message.picture)


def _track_context(message, info_form, rating_forms=None):
    entries = IntakePolicy.customer_entries(queries.conversation(message))
    rating_forms = rating_forms or {}
    for entry in entries:
        if entry.kind == Entry.Kind.REPLY and not hasattr_rating(entry):
            entry.rating_form = rating_forms.get(entry.pk) or forms.RatingForm(prefix=f"r{entry.pk}")
    return {"message": message, "entries": entries, "info_form": info_form}


def hasattr_rating(entry):
    try:
        return entry.rating is not None
    except Entry.rating.RelatedObjectDoesNotExist:
        return False


@require_POST
def rate(request, token, entry_id):
    message = access_message_by_token(token)
    reply = Entry.objects.filter(pk=entry_id, message=message, kind=Entry.Kind.REPLY).first()
    if reply is None:
        raise Http404
    form = forms.RatingForm(request.POST, prefix=f"r{entry_id}")
    if form.is_valid():
        try:
            actions.rate_reply(
                message, reply, form.cleaned_data["score"], form.cleaned_data["comment"], user=request.user
            )
        except ActionRefused as exc:
            flash.error(request, exc.message)
            return redirect("intake:track", token=token)
        flash.success(request, _("Thank you for rating our reply."))
        return redirect("intake:track", token=token)
    context = _track_context(message, forms.InformationForm(), {reply.pk: form})
    return render(request, "intake/track.html", context, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request):
    form = forms.LookupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        allowed = all(
            ratelimit.hit(f"intake:lookup:{client_ip(request)}:{window}", limit, window)
            for _scope, limit, window in settings.PORTAL_INTAKE_LOOKUP_LIMITS
        )
        if not allowed:
            form.add_error(None, _("Too many attempts. Please wait a while and try again."))
            status = 429
        elif form.is_valid():
            message = queries.find_by_reference(form.cleaned_data["reference"], form.cleaned_data["contact"])
            if message is not None:
                return redirect("intake:track", token=message.tracking_token)
            form.add_error(None, _("We found no message with these details."))
            status = 404
        else:
            status = 400
    return render(request, "intake/lookup.html", {"form": form}, status=status)


@login_required
def mine(request):
    return render(request, "intake/mine.html", {"messages_list": queries.messages_of(request.user)})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def log_call(request):
    if not IntakePolicy.can_log_call(request.user):
        raise PermissionDenied
    form = forms.CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        message = actions.log_call(
            request.user,
            phone=data["phone"],
            question=data["question"],
            kb_article_id=data["article"],
            resolved=data["outcome"] == "answered",
            kind=data["kind"],
            category=data["category"],
            language=translation.get_language(),
        )
        flash.success(request, _("Call logged as %(reference)s.") % {"reference": message.reference})
        return redirect("intake:log_call")
    return render(request, "intake/log_call.html", {"form": form}, status=400 if form.errors else 200)


# --- Inbound SMS webhook ----------------------------------------------------------------------------------
def _refuse(reason, request):
    # The log line names the reason and the caller's address, never the secret or the signature.
    logger.warning("intake sms webhook refused (%s) from %s", reason, client_ip(request))
    return HttpResponse("forbidden", status=403, content_type="text/plain")


def sign(secret, timestamp, body):
    """HMAC-SHA256 hex over "<timestamp>.<raw body>" (what the gateway sends in X-Signature)."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


@csrf_exempt
@require_POST
def sms_inbound(request):
    """POST from the SMS gateway: form fields `from` and `text`; headers X-Timestamp (Unix seconds) and
    X-Signature = hex HMAC-SHA256(PORTAL_SMS_WEBHOOK_SECRET, "<timestamp>.<raw body>"). 403 when unsigned,
    wrongly signed, older or newer than PORTAL_SMS_WEBHOOK_WINDOW seconds, or replayed."""
    secret = settings.PORTAL_SMS_WEBHOOK_SECRET
    timestamp = request.headers.get("X-Timestamp", "")
    signature = request.headers.get("X-Signature", "").strip().lower()
    if not secret:
        return _refuse("no secret configured", request)
    if not timestamp.isdigit() or not signature:
        return _refuse("unsigned", request)
    if abs(time.time() - int(timestamp)) > settings.PORTAL_SMS_WEBHOOK_WINDOW:
        return _refuse("stale", request)
    if not hmac.compare_digest(sign(secret, timestamp, request.body), signature):
        return _refuse("bad signature", request)
    from portal.intake.phones import normalise_any

    try:
        sender = normalise_any(request.POST.get("from", ""))
    except ValidationError:
        return JsonResponse({"error": "bad sender"}, status=400)
    text = request.POST.get("text", "")[:2000]
    try:
        message = actions.receive_sms(sender, text, signature=signature)
    except ActionRefused as exc:
        if exc.code == "replay":
            return _refuse("replayed", request)
        return JsonResponse({"error": exc.code}, status=exc.status)
    return JsonResponse({"ok": True, "reference": message.reference if message else None})
