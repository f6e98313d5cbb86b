"""Views of the forum: parse the request, fetch through an access helper, call one action, render or redirect.

Board and thread pages are served through BoardPage's routes (forum/models/pages.py); the moderation
queues, per-post and per-thread actions, poll votes and e-mail unsubscribe live in forum/urls.py.
Anonymous readers get pages without a session write or a CSRF cookie (no form is shown to them).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from forum import actions, caching, forms, markdown, queries
from forum.actions import ActionRefused
from forum.models import AnswerRating, AuditEntry, EmailOptOut, Poll, PostRevision, Thread
from forum.models.threads import State
from forum.policies import ForumPolicy
from portal.core import pagecache
from portal.core.net import client_ip


# --- Access helpers (fetch + authorise: 404 when the reader may not know it exists) -----------------------
def access_thread(request, thread_id):
    thread = queries.thread_for_view(thread_id)
    if thread is None or not ForumPolicy.can_view_thread(request.user, thread):
        raise Http404
    return thread


def access_post(request, post_id):
    post = queries.locate_post(request.user, post_id)
    if post is None or not ForumPolicy.can_view_post(request.user, post):
        raise Http404
    return post


def _safe_next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def _int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def _post_url(post, thread=None):
    thread = thread or post.thread
    url = thread.get_absolute_url()
    if post.is_opening:
        return f"{url}#{post.anchor}"
    return f"{url}?at={post.pk}#{post.anchor}"


def _attach_urls(request, threads):
    """Give each thread a .url, computing each board's address once (no per-row site lookup)."""
    bases = {}
    for thread in threads:
        if thread is None:
            continue
        if thread.board_id not in bases:
            bases[thread.board_id] = thread.board.get_url(request)
        thread.url = thread.get_absolute_url(bases[thread.board_id])
    return threads


def _flash_notices(request, notices):
    for notice in notices:
        messages.info(request, notice)


# --- Board ---------------------------------------------------------------------------------------------
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
                _flash_notices(request, written.notices)
                return redirect(written.thread.get_absolute_url(board_page.get_url(request)))
    else:
        form = forms.ThreadForm(polls=polls)
    context = {"page": board_page, "self": board_page, "form": form, "refusal": refusal}
    return TemplateResponse(request, "forum/new_thread.html", context, status=403 if refusal else status)


# --- Thread --------------------------------------------------------------------------------------------
def thread(request, board_page, thread_id):
    pagecache.allow(request, caching.thread_tag(thread_id))
    thread = queries.thread_for_view(thread_id, board=board_page)
    if thread is None:
        raise Http404
    if thread.state == State.MERGED and thread.merged_into_id:
        target = Thread.objects.select_related("board").filter(pk=thread.merged_into_id).first()
        if target and ForumPolicy.can_view_thread(request.user, target):
            return HttpResponseRedirect(target.get_absolute_url())
    if not ForumPolicy.can_view_thread(request.user, thread):
        raise Http404
    if thread.board_id != board_page.pk:  # moved: its address follows the board
        return HttpResponseRedirect(thread.get_absolute_url())
    thread.board = board_page
    if request.method == "POST":
        return _reply(request, board_page, thread)
    moderator = ForumPolicy.can_moderate(request.user, board_page)
    form = None
    if request.user.is_authenticated and ForumPolicy.can_reply(request.user, thread):
        initial = {}
        quoted = _int(request.GET.get("quote"))
        if quoted:
            post = queries.locate_post(request.user, quoted)
            if post and post.thread_id == thread.pk and ForumPolicy.can_view_post(request.user, post):
                name = post.author.public_name if post.author else _("a former member")
                initial["body"] = markdown.quote(post, name)
        form = forms.ReplyForm(initial=initial, moderator=moderator)
    return _render_thread(request, board_page, thread, form)


def _reply(request, board_page, thread):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    moderator = ForumPolicy.can_moderate(request.user, board_page)
    form = forms.ReplyForm(request.POST, request.FILES, moderator=moderator)
    status = 400
    if form.is_valid():
        try:
            written = actions.create_reply(
                request.user,
                thread,
                body=form.cleaned_data["body"],
                images=form.cleaned_data["images"],
                official=form.cleaned_data.get("official") if moderator else False,
                ip=client_ip(request),
            )
        except ActionRefused as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            _flash_notices(request, written.notices)
            return HttpResponseRedirect(
                f"{thread.get_absolute_url(board_page.get_url(request))}?last=1#{written.post.anchor}"
            )
    return _render_thread(request, board_page, thread, form, status=status)


def _render_thread(request, board_page, thread, form, status=200):
    user = request.user
    moderator = ForumPolicy.can_moderate(user, board_page)
    replies = queries.thread_replies(
        user,
        thread,
        after=_int(request.GET.get("after")),
        before=_int(request.GET.get("before")),
        at=_int(request.GET.get("at")),
        last=bool(request.GET.get("last")),
    )
    question = thread.opening_post
    accepted = thread.accepted_post
    if accepted is not None and not (accepted.state == State.PUBLISHED or moderator):
        accepted = None
    shown = [post for post in [question, accepted, *replies.posts] if post is not None]
    prefetch_related_objects(shown, "attachments")
    moderator_ids = queries.moderator_author_ids({post.author_id for post in shown if post.author_id})
    poll = _poll_context(user, thread)
    last_read, following = queries.reader_state(user, thread)
    for post in shown:  # answered once here so the template asks no questions (and runs no queries)
        post.thread = thread
        post.by_moderator = post.author_id in moderator_ids
        post.by_asker = post.author_id is not None and post.author_id == thread.author_id
        post.can_edit = ForumPolicy.can_edit_post(user, post)
        post.can_delete = ForumPolicy.can_delete_post(user, post)
        post.can_flag = ForumPolicy.can_flag(user, post)
        post.can_history = bool(post.edit_count) and ForumPolicy.can_view_history(user, post)
        post.is_unread = bool(last_read) and post.pk > last_read
    if user.is_authenticated:
        newest = max([post.pk for post in shown if post.state == State.PUBLISHED] or [0])
        actions.mark_thread_read(user, thread, newest, known=last_read)
    rating = None
    can_rate = ForumPolicy.can_rate(user, thread)
    if can_rate:
        rating = AnswerRating.objects.filter(thread=thread).first()
    board_url = board_page.get_url(request)
    thread_url = thread.get_absolute_url(board_url)
    context = {
        "page": board_page,
        "self": board_page,
        "thread": thread,
        "thread_url": thread_url,
        "question": question,
        "accepted": accepted,
        "replies": replies,
        "form": form,
        "moderator": moderator,
        "moderator_ids": moderator_ids,
        "poll": poll,
        "last_read": last_read,
        "following": following,
        "can_rate": can_rate,
        "rating": rating,
        "rating_form": forms.RatingForm(initial={"rating": rating.rating, "comment": rating.comment})
        if rating
        else forms.RatingForm(),
        "refusal": ForumPolicy.posting_refusal(user, board_page, thread) if user.is_authenticated else None,
        "can_accept": ForumPolicy.can_accept(user, thread),
        "flag_form": forms.FlagForm(),
        "jsonld": _qa_jsonld(request, thread, question, accepted, thread_url),
        "now": timezone.now(),
    }
    if moderator:
        context["move_form"] = forms.MoveForm(boards=queries.moveable_boards(user))
    return TemplateResponse(request, "forum/thread.html", context, status=status)


def _poll_context(user, thread):
    try:
        poll = thread.poll
    except Poll.DoesNotExist:
        return None
    poll.thread = thread
    options, voted = queries.poll_state(user, poll)
    show_results = ForumPolicy.can_see_results(user, poll, bool(voted))
    total = sum(option.vote_count for option in options) or 1
    for option in options:
        option.percent = round(option.vote_count * 100 / total)
        option.voted = option.pk in voted
    return {
        "poll": poll,
        "options": options,
        "voted": bool(voted),
        "show_results": show_results,
        "can_vote": not voted and ForumPolicy.can_vote(user, poll),
        "closed": poll.is_closed(),
    }


def _qa_jsonld(request, thread, question, accepted, thread_url):
    """schema.org QAPage data for a public thread with a public accepted answer (rendered by portal.core.jsonld)."""
    if thread.state != State.PUBLISHED or question is None or accepted is None or accepted.state != State.PUBLISHED:
        return None
    absolute = request.build_absolute_uri(thread_url)

    def person(user):
        return {"@type": "Person", "name": user.public_name if user else _("a former member")}

    data = {
        "@context": "https://schema.org",
        "@type": "QAPage",
        "mainEntity": {
            "@type": "Question",
            "name": thread.title,
            "text": markdown.plain_text(question.body_html),
            "answerCount": thread.reply_count,
            "dateCreated": thread.created_at.isoformat(),
            "author": person(question.author),
            "acceptedAnswer": {
                "@type": "Answer",
                "text": markdown.plain_text(accepted.body_html),
                "dateCreated": accepted.created_at.isoformat(),
                "url": f"{absolute}?at={accepted.pk}#{accepted.anchor}",
                "author": person(accepted.author),
            },
        },
    }
    return data


def permalink(request, board_page, post_id):
    post = access_post(request, post_id)
    thread = post.thread
    if thread.state == State.MERGED:
        raise Http404
    return HttpResponseRedirect(_post_url(post, thread))


# --- Post and thread actions -----------------------------------------------------------------------------
def _reason(request):
    return (request.POST.get("reason") or "").strip()


def _simple(function, message, reason=True):
    """A handler that calls one action with the user, the post or thread (and the reason typed, if the action
    takes one) and flashes `message()` (a callable: translated in the request's language)."""

    def handler(request, target):
        function(request.user, target, *([_reason(request)] if reason else []))
        return message(), None

    return handler


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
    actions.resolve_flags(request.user, post, uphold=True, reason=_reason(request))
    return _("Reports upheld: the post is hidden."), None


def _do_dismiss(request, post):
    actions.resolve_flags(request.user, post, uphold=False, reason=_reason(request))
    return _("Reports dismissed."), None


POST_ACTIONS = {
    "approve": _simple(actions.approve_post, lambda: _("The post is published.")),
    "reject": _simple(actions.reject_post, lambda: _("The post was rejected.")),
    "hide": _simple(actions.hide_post, lambda: _("The post is hidden from customers.")),
    "unhide": _simple(actions.unhide_post, lambda: _("The post is visible again.")),
    "delete": _do_delete,
    "flag": _do_flag,
    "accept": _simple(actions.accept_answer, lambda: _("The answer is marked as accepted."), reason=False),
    "uphold": _do_uphold,
    "dismiss": _do_dismiss,
}


def _run_action(request, handler, load, fallback_of):
    """Run one moderator or reader action from a POST: sign-in first, then the object (404 when the reader may
    not see it), then the handler; its message is flashed and the reader goes back (or where it says)."""
    if handler is None:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    target_object = load()
    fallback = fallback_of(target_object)
    try:
        message, target = handler(request, target_object)
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return redirect(_safe_next(request, fallback))
    messages.success(request, message)
    return redirect(target or _safe_next(request, fallback))


@require_POST
def post_action(request, post_id, name):
    return _run_action(request, POST_ACTIONS.get(name), lambda: access_post(request, post_id), _post_url)


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
                )
            except ActionRefused as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                _flash_notices(request, written.notices)
                messages.success(request, _("Your changes are saved."))
                return redirect(_post_url(written.post, written.thread))
    else:
        form = forms.EditForm(initial={"body": post.body, "title": thread.title}, **options)
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


# --- Thread actions ------------------------------------------------------------------------------------
def _do_rate(request, thread):
    form = forms.RatingForm(request.POST)
    if not form.is_valid():
        raise ActionRefused(_("Please choose a rating."), status=400)
    actions.rate_answer(request.user, thread, form.cleaned_data["rating"], form.cleaned_data["comment"])
    return _("Thank you for rating the answer."), None


def _do_move(request, thread):
    form = forms.MoveForm(request.POST, boards=queries.moveable_boards(request.user))
    if not form.is_valid():
        raise ActionRefused(_("Choose a board to move the thread to."), status=400)
    target = actions.board_for_move(form.cleaned_data["board"])
    moved = actions.move_thread(request.user, thread, target, form.cleaned_data["reason"])
    return _("The thread was moved to %(board)s.") % {"board": target.title}, moved.get_absolute_url()


def _other_thread(request, number):
    other = queries.thread_for_view(number)
    if other is None or not ForumPolicy.can_view_thread(request.user, other):
        raise ActionRefused(_("There is no thread number %(number)s.") % {"number": number}, status=400)
    return other


def _do_merge(request, thread):
    form = forms.MergeForm(request.POST)
    if not form.is_valid():
        raise ActionRefused(_("Enter a thread number or a thread's address."), status=400)
    target = _other_thread(request, form.cleaned_data["target"])
    merged = actions.merge_threads(request.user, thread, target, form.cleaned_data["reason"])
    return _("The threads were merged."), merged.get_absolute_url()


def _do_split(request, thread):
    form = forms.SplitForm(request.POST)
    if not form.is_valid():
        raise ActionRefused(_("Please give the new thread a title."), status=400)
    ids = [_int(value) for value in request.POST.getlist("posts")]
    new = actions.split_thread(
        request.user, thread, [pk for pk in ids if pk], form.cleaned_data["title"], _reason(request)
    )
    return _("The replies now form a new thread."), new.get_absolute_url()


def _do_duplicate(request, thread):
    form = forms.DuplicateForm(request.POST)
    if not form.is_valid():
        raise ActionRefused(_("Point to the thread or article this question duplicates."), status=400)
    value = form.cleaned_data["target"].strip()
    number = forms.thread_ref(value)
    is_thread_url = "/t/" in value or value.lstrip("#").isdigit()
    other = _other_thread(request, number) if number is not None and is_thread_url else None
    actions.close_as_duplicate(
        request.user, thread, duplicate_of=other, url="" if other else value, reason=form.cleaned_data["reason"]
    )
    return _("The thread is closed as a duplicate."), None


def _do_kb_draft(request, thread):
    article = actions.create_kb_draft(request.user, thread)
    return _("A draft knowledge-base article was created."), reverse("wagtailadmin_pages:edit", args=[article.pk])


THREAD_ACTIONS = {
    "lock": _simple(actions.lock_thread, lambda: _("The thread is locked.")),
    "unlock": _simple(actions.unlock_thread, lambda: _("The thread is unlocked.")),
    "pin": _simple(actions.pin_thread, lambda: _("The thread is pinned.")),
    "unpin": _simple(actions.unpin_thread, lambda: _("The thread is unpinned.")),
    "close": _simple(actions.close_thread, lambda: _("The thread is closed.")),
    "reopen": _simple(actions.reopen_thread, lambda: _("The thread is open again.")),
    "claim": _simple(
        actions.claim_thread, lambda: _("You are answering this thread; other moderators can see that."), reason=False
    ),
    "release": _simple(actions.release_thread, lambda: _("Claim released."), reason=False),
    "follow": _simple(actions.follow_thread, lambda: _("You will get an e-mail when someone replies."), reason=False),
    "unfollow": _simple(actions.unfollow_thread, lambda: _("You no longer follow this thread."), reason=False),
    "unaccept": _simple(actions.unaccept_answer, lambda: _("The accepted answer was withdrawn."), reason=False),
    "rate": _do_rate,
    "move": _do_move,
    "merge": _do_merge,
    "split": _do_split,
    "duplicate": _do_duplicate,
    "kb-draft": _do_kb_draft,
}


@require_POST
def thread_action(request, thread_id, name):
    return _run_action(
        request, THREAD_ACTIONS.get(name), lambda: access_thread(request, thread_id), Thread.get_absolute_url
    )


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


# --- E-mail unsubscribe (RFC 8058 one-click: mail clients POST without a CSRF token) -----------------------
@csrf_exempt
def unsubscribe(request, token):
    try:
        user, kind, thread = actions.read_unsubscribe_token(token)
    except ActionRefused as exc:
        return TemplateResponse(request, "forum/unsubscribe.html", {"error": exc.message}, status=400)
    done = False
    if request.method == "POST":
        actions.unsubscribe(token)
        done = True
    context = {"kind_label": EmailOptOut.Kind(kind).label, "thread": thread, "done": done, "token": token}
    return TemplateResponse(request, "forum/unsubscribe.html", context)


# --- Moderation queues ---------------------------------------------------------------------------------
def _moderator_only(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not ForumPolicy.can_use_queues(request.user):
        raise PermissionDenied
    return None


def _queue(request, template, **context):
    context.setdefault("mine", bool(request.GET.get("mine")))
    context["counts"] = queries.queue_counts(request.user)
    context["can_view_audit"] = ForumPolicy.can_view_audit(request.user)
    return TemplateResponse(request, template, context)


def moderation_home(request):
    return redirect("forum:sla")


def pending_queue(request):
    if (response := _moderator_only(request)) is not None:
        return response
    posts = queries.pending_posts(request.user, mine=bool(request.GET.get("mine")))
    _attach_urls(request, [post.thread for post in posts])
    return _queue(request, "forum/moderation/pending.html", posts=posts, tab="pending")


def flagged_queue(request):
    if (response := _moderator_only(request)) is not None:
        return response
    posts = queries.flagged_posts(request.user, mine=bool(request.GET.get("mine")))
    _attach_urls(request, [post.thread for post in posts])
    return _queue(request, "forum/moderation/flagged.html", posts=posts, tab="flagged")


def sla_queue(request):
    if (response := _moderator_only(request)) is not None:
        return response
    page = queries.sla_queue(request.user, mine=bool(request.GET.get("mine")), cursor=request.GET.get("after"))
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
    )


def audit_log(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not ForumPolicy.can_view_audit(request.user):
        raise PermissionDenied
    action = request.GET.get("action") or ""
    entries, more = queries.audit_entries(before=_int(request.GET.get("before")), action=action)
    _attach_urls(request, [entry.thread for entry in entries])
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
                if data["kind"] == "warn":
                    actions.warn_user(request.user, target, data["reason"])
                elif data["kind"] == "suspend":
                    actions.suspend_user(request.user, target, data["days"] or 0, data["reason"])
                elif data["kind"] == "ban":
                    actions.ban_user(request.user, target, data["reason"])
                else:
                    actions.lift_sanctions(request.user, target, data["reason"])
            except ActionRefused as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(request, _("Done. The member was told by e-mail."))
                return redirect("forum:user", user_id=target.pk)
    posts = queries.recent_posts_of(target)
    _attach_urls(request, [post.thread for post in posts])
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
