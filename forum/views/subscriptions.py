"""E-mail unsubscribe (RFC 8058 one-click: mail clients POST without a CSRF token)."""

from django.template.response import TemplateResponse
from django.views.decorators.csrf import csrf_exempt

from forum import actions, tokens
from forum.models import EmailOptOut


@csrf_exempt
def unsubscribe(request, token):
    try:
        user, kind, thread = tokens.read_unsubscribe_token(token)
    except tokens.InvalidToken as exc:
        return TemplateResponse(request, "forum/unsubscribe.html", {"error": exc.message}, status=400)
    done = False
    if request.method == "POST":
        actions.unsubscribe(token)
        done = True
    context = {"kind_label": EmailOptOut.Kind(kind).label, "thread": thread, "done": done, "token": token}
    return TemplateResponse(request, "forum/unsubscribe.html", context)
