"""The thread page: replies by keyset, the reply form, the poll, QAPage JSON-LD; post permalinks."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from forum import actions, caching, forms, markdown, queries
from forum.actions import ActionRefused
from forum.models import AnswerRating, Poll, Thread
from forum.models.threads import State
from forum.policies import ForumPolicy
from forum.views.base import (
    access_post,
    flash_notices,
    parse_int,
    post_url,
)
from portal.core import pagecache
from portal.core.net import client_ip


def thread(request, board_page, thread_id):
    # The posts' "Moderator" badges follow who moderates the board (caching.MODERATORS).
    pagecache.allow(request, caching.thread_tag(thread_id), caching.MODERATORS)
    thread = queries.thread_for_view(thread_id, board=board_page, reader=request.user)
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
        quoted = parse_int(request.GET.get("quote"))
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
            flash_notices(request, written.notices)
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
        after=parse_int(request.GET.get("after")),
        before=parse_int(request.GET.get("before")),
        at=parse_int(request.GET.get("at")),
        last=bool(request.GET.get("last")),
    )
    question = thread.opening_post
    accepted = thread.accepted_post
    if accepted is not None and not (accepted.state == State.PUBLISHED or moderator):
        accepted = None
    shown = [post for post in [question, accepted, *replies.posts] if post is not None]
    moderator_ids = queries.moderator_author_ids(
        request, {post.author_id for post in shown if post.author_id}, board_page
    )
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
        post.is_accepted = accepted is not None and post.pk == accepted.pk
    if user.is_authenticated:
        newest = max([post.pk for post in shown if post.state == State.PUBLISHED] or [0])
        actions.mark_thread_read(user, thread, newest, known=last_read)
    rating = None
    can_rate = ForumPolicy.can_rate(user, thread)
    if can_rate:
        rating = AnswerRating.objects.filter(thread=thread).first()
    board_url = board_page.get_url(request)
    thread_url = thread.get_absolute_url(board_url)
    rendered = [(question, True, False), (accepted, False, True)] if replies.is_first else []
    caching.read_post_fragments(
        [slot for slot in rendered if slot[0] is not None] + [(post, False, False) for post in replies.posts],
        moderator=moderator,
        thread_url=thread_url,
    )
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
    if moderator:  # the move form's choices, written out by the template (forms.MoveForm checks the answer)
        context["move_boards"] = queries.moveable_boards(request, user, thread)
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
    return HttpResponseRedirect(post_url(post, thread))
