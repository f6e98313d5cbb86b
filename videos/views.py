"""Live Q&A endpoints (thin): parse, fetch through an access_* helper, call one action, respond.

Forms post and redirect back to the episode (everything works without JavaScript); live.js sends the same
forms with fetch and asks for JSON. `changes` is the poll endpoint: one indexed query per call.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from portal.core import pagecache
from portal.core.net import client_ip
from videos import actions, queries, vtt
from videos.actions import ActionRefused
from videos.forms import AnswerForm
from videos.models import EpisodePage, Question
from videos.policies import VideosPolicy


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def access_episode(request, episode_id):
    episode = EpisodePage.objects.live().public().filter(pk=episode_id).select_related("locale").first()
    if episode is None:
        raise Http404
    return episode


def access_question(request, question_id):
    question = get_object_or_404(Question.objects.select_related("episode"), pk=question_id)
    if not VideosPolicy.can_see_question(request.user, question) or not question.episode.live:
        raise Http404
    return question


def _back(request, episode, anchor="qa"):
    return HttpResponseRedirect(f"{episode.get_url(request)}#{anchor}")


def _refused(request, episode, exc, **extra):
    if _wants_json(request):
        return JsonResponse({"ok": False, "code": exc.code, "message": exc.message, **extra}, status=exc.status)
    messages.error(request, exc.message)
    if extra.get("text"):
        request.session["videos_draft_question"] = extra["text"]  # nothing typed is lost
    return _back(request, episode)


@require_POST
def ask(request, episode_id):
    episode = access_episode(request, episode_id)
    text = request.POST.get("text", "")
    try:
        asked = actions.ask_question(episode=episode, user=request.user, text=text, ip=client_ip(request))
    except ActionRefused as exc:
        return _refused(request, episode, exc, text=text)
    if _wants_json(request):
        return JsonResponse({"ok": True, "messages": asked.notices, "id": asked.question.pk})
    for notice in asked.notices:
        messages.success(request, notice)
    request.session.pop("videos_draft_question", None)
    return _back(request, episode)


@require_GET
def changes(request, episode_id):
    episode = queries.episode_meta(episode_id)
    if episode is None:
        raise Http404
    try:
        cursor = max(0, int(request.GET.get("cursor", "0")))
    except ValueError:
        return JsonResponse({"ok": False, "message": _("The cursor must be a whole number.")}, status=400)
    pagecache.skip(request)
    response = JsonResponse(queries.changes(episode, request.user, cursor))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def vote(request, question_id):
    question = access_question(request, question_id)
    try:
        counted = actions.vote_question(question=question, user=request.user)
    except ActionRefused as exc:
        return _refused(request, question.episode, exc)
    if _wants_json(request):
        return JsonResponse({"ok": True, "counted": counted})
    if not counted:
        messages.info(request, _("You have already voted for this question."))
    return _back(request, question.episode, f"q-{question.pk}")


MODERATION = {
    "approve": lambda q, user, post: actions.approve_question(question=q, user=user),
    "reject": lambda q, user, post: actions.reject_question(question=q, user=user, reason=post.get("reason", "")),
    "pin": lambda q, user, post: actions.pin_question(question=q, user=user, pinned=True),
    "unpin": lambda q, user, post: actions.pin_question(question=q, user=user, pinned=False),
    "answer": lambda q, user, post: actions.answer_question(question=q, user=user, answer=post.get("answer", "")),
    "kb_draft": lambda q, user, post: actions.draft_kb_article(question=q, user=user),
}
DONE = {
    "approve": gettext_lazy("Question approved."),
    "reject": gettext_lazy("Question rejected."),
    "pin": gettext_lazy("Question pinned."),
    "unpin": gettext_lazy("Question unpinned."),
    "answer": gettext_lazy("Answer published."),
    "kb_draft": gettext_lazy("A draft KB article was created for the editors to review."),
}


@require_POST
def moderate(request, question_id):
    if not VideosPolicy.can_moderate(request.user):
        raise Http404
    question = access_question(request, question_id)
    verb = request.POST.get("action", "")
    if verb not in MODERATION:
        return JsonResponse({"ok": False, "message": _("Unknown action.")}, status=400)
    if verb == "answer":
        form = AnswerForm(request.POST)
        if not form.is_valid():
            exc = ActionRefused(" ".join(form.errors["answer"]), code="empty", status=400)
            return _refused(request, question.episode, exc)
    try:
        MODERATION[verb](question, request.user, request.POST)
    except ActionRefused as exc:
        return _refused(request, question.episode, exc)
    if _wants_json(request):
        return JsonResponse({"ok": True, "message": str(DONE[verb])})
    messages.success(request, DONE[verb])
    return _back(request, question.episode, f"q-{question.pk}")


@require_GET
def captions(request, episode_id, language):
    episode = access_episode(request, episode_id)
    cues = episode.captions.get(language)
    if not cues:
        raise Http404
    response = HttpResponse(vtt.render(cues), content_type="text/vtt; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response
