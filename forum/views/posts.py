"""Actions on one post (approve, hide, flag, accept...), editing a post and its history."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum import actions, forms, markdown
from forum.actions import ActionRefused
from forum.models import Post, PostRevision
from forum.policies import ForumPolicy
from forum.views.base import (
    access_post,
    flash_notices,
    post_url,
    reason_of,
    run_action,
    seen_state,
    simple_action,
)


def _do_delete(request, post):
    actions.delete_own_post(request.user, post)
    if post.is_opening:
        return _("Your question was deleted."), post.thread.board.url
    return _("Your post was deleted."), None


def _do_flag(request, post):
    form = forms.FlagForm(request.POST)
    if not form.is_valid():
        raise ActionRefused(_("Please choose why you are reporting this post."), status=400)
    actions.flag_post(request.user, post, form.cleaned_data["reason"], form.cleaned_data["note"])
    return _("Thank you. A moderator will review the post."), None


def _do_uphold(request, post):
    actions.resolve_flags(
        request.user, post, uphold=True, reason=reason_of(request), expected_state=seen_state(request)
    )
    return _("Reports upheld: the post is hidden."), None


def _do_dismiss(request, post):
    actions.resolve_flags(
        request.user, post, uphold=False, reason=reason_of(request), expected_state=seen_state(request)
    )
    return _("Reports dismissed."), None


POST_ACTIONS = {
    "approve": simple_action(actions.approve_post, lambda: _("The post is published."), seen=True),
    "reject": simple_action(actions.reject_post, lambda: _("The post was rejected."), seen=True),
    "hide": simple_action(actions.hide_post, lambda: _("The post is hidden from customers."), seen=True),
    "unhide": simple_action(actions.unhide_post, lambda: _("The post is visible again."), seen=True),
    "delete": _do_delete,
    "flag": _do_flag,
    "accept": simple_action(actions.accept_answer, lambda: _("The answer is marked as accepted."), reason=False),
    "uphold": _do_uphold,
    "dismiss": _do_dismiss,
}


@require_POST
def post_action(request, post_id, name):
    return run_action(request, POST_ACTIONS.get(name), lambda: access_post(request, post_id), post_url)


def edit_post(request, post_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    post = access_post(request, post_id)
    if not ForumPolicy.can_edit_post(request.user, post):
        raise PermissionDenied
    thread = post.thread
    moderator = ForumPolicy.can_moderate(request.user, thread.board)
    options = {"with_title": post.is_opening, "reason_required": moderator and post.author_id != request.user.pk}
    status = 200
    if request.method == "POST":
        form = forms.EditForm(request.POST, **options)
        status = 400
        if form.is_valid():
            try:
                written = actions.edit_post(
                    request.user,
                    post,
                    body=form.cleaned_data["body"],
                    title=form.cleaned_data.get("title"),
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data.get("version"),
                )
            except ActionRefused as exc:
                if exc.code == "conflict":  # keep their text; the next save is over the current version
                    data = request.POST.copy()
                    data["version"] = str(Post.objects.get(pk=post.pk).edit_count)
                    form = forms.EditForm(data, **options)
                    form.is_valid()
                form.add_error(None, exc.message)
                status = exc.status
            else:
                flash_notices(request, written.notices)
                messages.success(request, _("Your changes are saved."))
                return redirect(post_url(written.post, written.thread))
    else:
        form = forms.EditForm(initial={"body": post.body, "title": thread.title, "version": post.edit_count}, **options)
    context = {"page": thread.board, "thread": thread, "post": post, "form": form}
    return TemplateResponse(request, "forum/edit_post.html", context, status=status)


def post_history(request, post_id):
    post = access_post(request, post_id)
    if not ForumPolicy.can_view_history(request.user, post):
        raise PermissionDenied
    revisions = list(PostRevision.objects.filter(post=post).select_related("edited_by"))
    for revision in revisions:
        revision.html = markdown.render(revision.body)
    context = {"page": post.thread.board, "thread": post.thread, "post": post, "revisions": revisions}
    return TemplateResponse(request, "forum/post_history.html", context)
