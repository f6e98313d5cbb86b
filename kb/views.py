"""Reader actions on articles (thin views): "was this helpful?" votes, agents' "used on a call", the feed,
and the feedback fragment the page cache fills into each article page.

Articles themselves are Wagtail pages (kb.models). Each view fetches through `access_article`, which 404s
for anything the reader may not see (never 403: a customer must not learn that an agents-only article
exists), calls one action and answers JSON to kb.js or redirects back with a message without JavaScript.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kb import actions, queries, visitors
from kb.forms import FeedbackForm
from kb.models import ArticleFeedback, ArticlePage
from kb.policies import KBPolicy
from portal.core import ratelimit
from portal.core.net import client_ip


def access_article(request, article_id):
    article = ArticlePage.objects.filter(pk=article_id, live=True).select_related("locale").first()
    if article is None or not KBPolicy.can_view(request.user, article):
        raise Http404
    if not queries.visible_articles(request, ArticlePage.objects.filter(pk=article.pk)).exists():
        raise Http404  # inside a private section
    return article


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _article_url(request, article, anchor=""):
    return (article.get_url(request) or "/") + anchor


def _done(request, article, message, status=200, level=messages.SUCCESS, anchor="#feedback", extra=None):
    if _wants_json(request):
        return JsonResponse({"ok": 200 <= status < 300, "message": message, **(extra or {})}, status=status)
    messages.add_message(request, level, message)
    return HttpResponseRedirect(_article_url(request, article, anchor))


@require_POST
def feedback(request, article_id):
    article = access_article(request, article_id)
    limit = settings.PORTAL_KB_FEEDBACK_PER_IP
    if not ratelimit.hit(f"kb-feedback:{client_ip(request) or 'unknown'}", limit, settings.PORTAL_KB_FEEDBACK_WINDOW):
        return _done(
            request,
            article,
            _("You have sent a lot of feedback in a short time. Please try again in an hour."),
            status=429,
            level=messages.ERROR,
        )
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        if _wants_json(request):
            errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
            return JsonResponse({"ok": False, "errors": errors}, status=400)
        return render(request, "kb/feedback_page.html", {"article": article, "form": form}, status=400)
    vid, is_new = visitors.ensure_visitor(request)
    try:
        feedback = actions.record_feedback(
            article=article,
            helpful=form.cleaned_data["helpful"],
            comment=form.cleaned_data["comment"],
            visitor_key=visitors.visitor_key(request, vid),
            language=get_language() or "",
        )
    except actions.AlreadyRated:
        response = _done(
            request,
            article,
            _("You have already told us about this article. Thank you!"),
            status=409,
            level=messages.INFO,
        )
    else:
        thanks = _("Thank you! Your feedback helps us improve this answer.")
        if feedback.masked.changed:
            hidden = _("For your safety we hid the card, ID or phone numbers in your comment.")
            thanks = f"{thanks} {hidden}"
        response = _done(request, article, thanks)
    if is_new and not request.user.is_authenticated:
        visitors.remember(response, vid)
    return response


@require_POST
def used_on_call(request, article_id):
    article = access_article(request, article_id)
    if not KBPolicy.can_use_on_call(request.user, article):
        raise Http404
    usage, created = actions.record_usage(article=article, agent=request.user)
    stats = queries.stats_for(article)
    count = stats.used_count if stats else 0
    message = _("Counted: you used this article on a call.") if created else _("Already counted for this call.")
    return _done(request, article, message, anchor="#agent-tools", extra={"count": count, "counted": created})


def feedback_fragment(request, article_id):
    """The feedback box of one article page (portal.core.pagecache fragment "kb-feedback"), rendered per request:
    it carries the CSRF token and, for a returning visitor, their vote. `article_id` is "" in a preview of
    an article not saved yet."""
    article_id = int(article_id) if str(article_id).isdigit() else None
    key = visitors.visitor_key(request) if article_id else None
    vote = ArticleFeedback.objects.filter(article_id=article_id, visitor_key=key).first() if key else None
    context = {
        "form": FeedbackForm(),
        "vote": vote,
        "action": reverse("kb:feedback", args=[article_id]) if article_id else "",
    }
    return render_to_string("kb/includes/feedback.html", context, request=request)
