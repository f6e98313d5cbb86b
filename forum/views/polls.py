"""Voting in a poll."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum import actions
from forum.actions import ActionRefused
from forum.models import Poll
from forum.policies import ForumPolicy


@require_POST
def vote(request, poll_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    poll = get_object_or_404(Poll.objects.select_related("thread__board"), pk=poll_id)
    if not ForumPolicy.can_view_thread(request.user, poll.thread):
        raise Http404
    try:
        actions.vote_poll(request.user, poll, request.POST.getlist("options"))
    except ActionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you for voting."))
    return redirect(f"{poll.thread.get_absolute_url()}#poll")
