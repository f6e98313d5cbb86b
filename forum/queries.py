"""Read-side queries of the forum: each page's data in a fixed number of SQL queries, whatever the sizes.

Lists use keyset pagination (a cursor of the last row seen, never OFFSET), so the last page of a
5,000-post thread costs the same as the first. Everything a customer sees goes through
ForumPolicy.visible_threads / visible_posts.
"""

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Now
from django.utils import timezone

from forum import caching
from forum.models import AuditEntry, BoardPage, Flag, Post, Subscription, Thread, ThreadRead
from forum.models.threads import SLA_WAITING, State
from forum.policies import ForumPolicy
from portal.core import pagecache


# --- Boards ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BoardSummary:
    """A card on the forum index."""

    pk: int
    title: str
    description: str
    url: str
    first_response_hours: int
    public_thread_count: int = 0


def board_summaries(request, index):
    """The index page's live public boards with their count of public threads, the same for every reader: the
    boards kept per process until a page changes (the "pages" tag: publish, unpublish, move, privacy), the counts
    until a thread changes (every thread action bumps the forum's tag). No query in the steady state."""

    def boards():
        listed = BoardPage.objects.child_of(index).live().public().order_by("path")
        return [
            BoardSummary(board.pk, board.title, board.description, board.get_url(request), board.first_response_hours)
            for board in listed
        ]

    summaries = pagecache.remember(request, ("forum-index-boards", request.get_host(), index.pk), boards)

    def counts():
        return dict(
            Thread.objects.filter(board__in=[summary.pk for summary in summaries], state=State.PUBLISHED)
            .values_list("board")
            .annotate(n=Count("id"))
            .values_list("board", "n")
        )

    key = ("forum-index-counts", tuple(summary.pk for summary in summaries))
    known = pagecache.remember(request, key, counts, tag=caching.BOARDS)
    return [replace(summary, public_thread_count=known.get(summary.pk, 0)) for summary in summaries]


@dataclass(frozen=True)
class BoardLabel:
    pk: int
    title: str
    url: str
    locale_id: int
    live: bool


def board_labels(request):
    """{board id: BoardLabel} of every board in tree order, kept per process until a page changes: queues list
    many boards and need only each one's title and address, the move form the live ones of a language."""

    def compute():
        return {
            board.pk: BoardLabel(board.pk, board.title, board.get_url(request), board.locale_id, board.live)
            for board in BoardPage.objects.order_by("path")
        }

    return pagecache.remember(request, ("forum-boards", request.get_host()), compute)


def encode_cursor(moment, pk):
    return f"{int(moment.timestamp() * 1_000_000)}.{pk}"


def decode_cursor(value):
    try:
        micros, pk = (value or "").split(".", 1)
        return datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC), int(pk)
    except (ValueError, OverflowError, OSError):
        return None


@dataclass
class ThreadList:
    pinned: list
    threads: list
    next_cursor: str | None
    unread: set = field(default_factory=set)
    is_first: bool = True


STATUS_FILTERS = {"open": Thread.Status.OPEN, "answered": Thread.Status.ANSWERED, "closed": Thread.Status.CLOSED}


# What a board's thread row shows and needs (the link, badges, asker, counts, "new activity"), and nothing else.
THREAD_ROW_FIELDS = (
    "id",
    "board_id",
    "title",
    "slug",
    "state",
    "status",
    "is_locked",
    "is_pinned",
    "reply_count",
    "first_response_at",
    "last_post_id",
    "last_post_at",
    "created_at",
    "author_id",
    "author__display_name",
    "author__email",
)


def board_threads(user, board, cursor=None, status=None):
    """Pinned threads (first page only) and one page of the rest, newest activity first."""
    size = settings.PORTAL_FORUM_THREADS_PER_PAGE
    # The row shows the asker and the time of the last post (denormalised on the thread), never the last post
    # itself: joining it loaded every row's newest post and its author (a third of the page's time).
    base = ForumPolicy.visible_threads(user, Thread.objects.filter(board=board)).select_related("author")
    base = base.only(*THREAD_ROW_FIELDS)
    if status in STATUS_FILTERS:
        base = base.filter(status=STATUS_FILTERS[status])
    position = decode_cursor(cursor) if cursor else None
    pinned = [] if position else list(base.filter(is_pinned=True).order_by("-last_post_at", "-id")[:20])
    rows = base.filter(is_pinned=False) if not position else base
    if position:
        moment, pk = position
        rows = rows.filter(Q(last_post_at__lt=moment) | Q(last_post_at=moment, id__lt=pk))
    threads = list(rows.order_by("-last_post_at", "-id")[: size + 1])
    next_cursor = None
    if len(threads) > size:
        threads = threads[:size]
        next_cursor = encode_cursor(threads[-1].last_post_at, threads[-1].pk)
    if position:  # later pages list pinned threads where their activity falls, not twice
        threads = [thread for thread in threads if not thread.is_pinned]
    result = ThreadList(pinned, threads, next_cursor, is_first=position is None)
    if user.is_authenticated:
        result.unread = unread_thread_ids(user, pinned + threads)
    return result


def unread_thread_ids(user, threads):
    """Ids of the listed threads with a published post newer than the user last read (one query)."""
    if not threads:
        return set()
    read = dict(
        ThreadRead.objects.filter(user=user, thread__in=[t.pk for t in threads]).values_list(
            "thread_id", "last_read_post_id"
        )
    )
    # Never opened: "new" only if it started recently and after the reader joined, or every thread would shout.
    fresh_since = max(user.date_joined, timezone.now() - timedelta(days=14))
    return {t.pk for t in threads if t.last_post_id and t.pk in read and t.last_post_id > read[t.pk]} | {
        t.pk
        for t in threads
        if t.last_post_id and t.pk not in read and t.author_id != user.pk and t.created_at > fresh_since
    }


# --- Threads -----------------------------------------------------------------------------------------------
def thread_for_view(thread_id, board=None, reader=None):
    """The thread with everything its header needs, or None (visibility is checked by the caller).

    A few joins and small queries (none when the thread has no such link) rather than one ten-table join:
    PostgreSQL spent longer planning that join (9 ms) than running it, and Django longer compiling it. The
    thread page passes its `board`, and its signed-in `reader`: what the page needs to know of them comes in
    the same row (reader_state's answer; whether a sanction is in force, for ForumPolicy.know_sanction).
    """
    rows = Thread.objects.select_related("author", "opening_post__author", "poll").prefetch_related(
        "accepted_post__author", "duplicate_of", "claimed_by"
    )
    if board is None:
        rows = rows.select_related("board")
    signed_in = reader is not None and reader.is_authenticated
    if signed_in:
        reads = ThreadRead.objects.filter(user=reader.pk, thread=OuterRef("pk")).order_by("id")
        rows = rows.annotate(
            reader_last_read=Subquery(reads.values("last_read_post_id")[:1]),
            reader_following=Exists(Subscription.objects.filter(user=reader.pk, thread=OuterRef("pk"))),
            reader_sanctioned=ForumPolicy.active_sanction_exists(reader),
        )
    thread = rows.filter(pk=thread_id).first()
    if thread is not None and board is not None and thread.board_id == board.pk:
        thread.board = board
    if thread is not None and signed_in:
        thread.reader_state = (reader.pk, thread.reader_last_read, thread.reader_following)
        ForumPolicy.know_sanction(reader, thread.reader_sanctioned)
    return thread


@dataclass
class PostPage:
    posts: list
    has_prev: bool
    has_next: bool
    first_id: int | None
    last_id: int | None
    is_first: bool


def thread_replies(user, thread, *, after=None, before=None, at=None, last=False):
    """One page of replies (the question is shown separately), by keyset on the post id."""
    size = settings.PORTAL_FORUM_POSTS_PER_PAGE
    replies = ForumPolicy.visible_posts(user, thread, Post.objects.filter(thread=thread, is_opening=False))
    # The page shows each reply's HTML; its Markdown source (edit, quote) is read by those views.
    replies = replies.select_related("author").defer("body", "body_hash")
    if last or before is not None:
        rows = replies.filter(id__lt=before) if before is not None else replies
        posts = list(rows.order_by("-id")[: size + 1])
        has_prev = len(posts) > size
        posts = list(reversed(posts[:size]))
        has_next = before is not None
        is_first = not has_prev
    else:
        start = at - 1 if at is not None else after
        rows = replies.filter(id__gt=start) if start is not None else replies
        posts = list(rows.order_by("id")[: size + 1])
        has_next = len(posts) > size
        posts = posts[:size]
        has_prev = start is not None and start > 0
        is_first = not has_prev
    first_id = posts[0].pk if posts else None
    last_id = posts[-1].pk if posts else None
    return PostPage(posts, has_prev, has_next, first_id, last_id, is_first)


def moderator_author_ids(request, author_ids, board):
    """Which of these authors moderate `board` (for the badge), by the policy's rule.

    A board's moderators are few and change only with a role, a group, a permission or the board's own list, so
    each process keeps them per board until forum.caching.MODERATORS is bumped: no query on most pages."""
    if not author_ids:
        return set()

    def compute():
        return frozenset(ForumPolicy.moderators_of(board).values_list("pk", flat=True))

    return set(author_ids) & pagecache.remember(request, ("forum-moderators", board.pk), compute, caching.MODERATORS)


def reader_state(user, thread):
    """(last read post id or None when never read, following?) for a signed-in reader: one query, or none when
    thread_for_view read it with the thread for this reader."""
    if not user.is_authenticated:
        return None, False
    known = getattr(thread, "reader_state", None)
    if known is not None and known[0] == user.pk:
        return known[1], known[2]
    following = Subscription.objects.filter(user=user, thread=thread)
    row = (
        ThreadRead.objects.filter(user=user, thread=thread)
        .annotate(following=Exists(following))
        .values_list("last_read_post_id", "following")
        .first()
    )
    if row is None:
        return None, following.exists()
    return row[0], row[1]


def poll_state(user, poll):
    """(options, ids the user voted for): two queries at most."""
    options = list(poll.options.all())
    voted = set()
    if user.is_authenticated:
        voted = set(poll.votes.filter(user=user).values_list("option_id", flat=True))
    return options, voted


def locate_post(user, post_id):
    """The post with its thread and board, if it exists (visibility is checked by the caller)."""
    return Post.objects.select_related("thread__board", "author").filter(pk=post_id).first()


# --- Moderation queues -------------------------------------------------------------------------------------
def _board_scope(user, queryset, field_name="board_id", mine=False):
    boards = ForumPolicy.moderated_board_ids(user)
    if mine:
        listed = ForumPolicy.listed_board_ids(user)
        boards = listed if boards is None else boards & listed
    if boards is None:
        return queryset
    return queryset.filter(**{f"{field_name}__in": boards})


def _is_vip(person):
    """True when the account (loaded with select_related("vip")) is a VIP customer's; no query."""
    return person is not None and getattr(person, "vip", None) is not None


def pending_posts(user, mine=False, limit=100):
    rows = _board_scope(user, Post.objects.filter(state=State.PENDING), "thread__board_id", mine)
    posts = list(rows.select_related("author__vip", "thread__board").order_by("id")[:limit])
    for post in posts:
        post.author_is_vip = _is_vip(post.author)
    return posts


def flagged_posts(user, mine=False, limit=100):
    rows = Post.objects.filter(flags__outcome=Flag.Outcome.OPEN).distinct()
    rows = _board_scope(user, rows, "thread__board_id", mine)
    posts = list(rows.select_related("author", "thread__board").order_by("-flag_count", "id")[:limit])
    flags = {}
    for flag in Flag.objects.filter(post__in=posts, outcome=Flag.Outcome.OPEN).select_related("user"):
        flags.setdefault(flag.post_id, []).append(flag)
    for post in posts:
        post.open_flags = flags.get(post.pk, [])
    return posts


@dataclass
class SlaRow:
    thread: Thread
    minutes_left: int
    board: "BoardLabel | None" = None  # set by the view from board_labels()
    vip: bool = False  # the asker is a VIP customer (the account's flag, shared with the message desk)

    @property
    def breached(self):
        return self.minutes_left < 0

    @property
    def hours(self):
        return abs(self.minutes_left) // 60

    @property
    def minutes(self):
        return abs(self.minutes_left) % 60


def sla_waiting(queryset=None):
    """Threads waiting for a moderator: no first response yet, or re-opened by a dissatisfied asker. The partial
    index forum_thread_sla has exactly this condition."""
    queryset = Thread.objects.all() if queryset is None else queryset
    return queryset.filter(SLA_WAITING)


@dataclass
class SlaPage:
    rows: list
    totals: dict
    next_cursor: str | None = None


def sla_queue(user, mine=False, limit=None, cursor=None, now=None):
    """One page of waiting threads, closest to (or furthest past) their first-response target first, by keyset
    on (target, id); with totals over the whole queue.

    The threads come alone off the forum_thread_sla index (a join before the LIMIT would sort every waiting
    thread); their authors and claimers follow in one small query (boards: `board_labels`).
    """
    limit = limit or settings.PORTAL_FORUM_SLA_PAGE_SIZE
    now = now or timezone.now()
    rows = _board_scope(user, sla_waiting(), mine=mine)
    page = rows
    position = decode_cursor(cursor) if cursor else None
    if position:
        moment, pk = position
        page = rows.filter(Q(sla_due_at__gt=moment) | Q(sla_due_at=moment, id__gt=pk))
    fields = (
        "id",
        "board_id",
        "title",
        "slug",
        "state",
        "author_id",
        "claimed_by_id",
        "sla_due_at",
        "reopened_at",
        "escalated_at",
    )
    threads = list(page.only(*fields).order_by("sla_due_at", "id")[: limit + 1])
    next_cursor = encode_cursor(threads[limit - 1].sla_due_at, threads[limit - 1].pk) if len(threads) > limit else None
    threads = threads[:limit]
    people = get_user_model().objects.select_related("vip").only("id", "email", "display_name", "vip__id")
    people = people.in_bulk({t.author_id for t in threads} | {t.claimed_by_id for t in threads} - {None})
    for thread in threads:
        thread.author = people.get(thread.author_id)
        thread.claimed_by = people.get(thread.claimed_by_id)
    totals = rows.aggregate(waiting=Count("id"), breached=Count("id", filter=Q(sla_due_at__lt=Now())))
    result = [
        SlaRow(thread, int((thread.sla_due_at - now).total_seconds() / 60), vip=_is_vip(thread.author))
        for thread in threads
    ]
    return SlaPage(result, totals, next_cursor)


def sla_breaches(board_ids=None, now=None):
    rows = sla_waiting().filter(sla_due_at__lt=now or timezone.now(), state=State.PUBLISHED)
    if board_ids is not None:
        rows = rows.filter(board_id__in=board_ids)
    return list(rows.select_related("board", "author").order_by("sla_due_at")[:200])


def audit_entries(before=None, action=None, limit=50):
    rows = AuditEntry.objects.select_related("actor", "thread__board", "target_user")
    if action in AuditEntry.Action.values:
        rows = rows.filter(action=action)
    if before:
        rows = rows.filter(id__lt=before)
    entries = list(rows.order_by("-id")[: limit + 1])
    more = len(entries) > limit
    return entries[:limit], (entries[limit - 1].pk if more else None)


def queue_counts(user, breached=None):
    """Badge counts for the moderation tabs (three queries; two when the SLA queue has counted `breached`)."""
    if breached is None:
        breached = _board_scope(user, sla_waiting().filter(sla_due_at__lt=timezone.now())).count()
    return {
        "pending": _board_scope(user, Post.objects.filter(state=State.PENDING), "thread__board_id").count(),
        "flagged": _board_scope(user, Post.objects.filter(flags__outcome=Flag.Outcome.OPEN), "thread__board_id")
        .values("pk")
        .distinct()
        .count(),
        "breached": breached,
    }


def board_for_move(board_id):
    return BoardPage.objects.filter(pk=board_id).first()


def moveable_boards(request, user, thread):
    """The live boards `user` moderates in the thread's own language, other than the one it is on (from
    `board_labels`: no query)."""
    boards = board_labels(request).values()
    allowed = ForumPolicy.moderated_board_ids(user)
    return [
        board
        for board in boards
        if board.live
        and board.locale_id == thread.board.locale_id
        and board.pk != thread.board_id
        and (allowed is None or board.pk in allowed)
    ]


def user_sanctions(target):
    from forum.models import Sanction

    return list(Sanction.objects.filter(user=target).select_related("created_by")[:50])


def recent_posts_of(viewer, target, limit=20):
    """The member's latest posts that `viewer` may see (a moderator of one board sees nothing hidden elsewhere)."""
    rows = ForumPolicy.visible_posts_anywhere(viewer, Post.objects.filter(author=target))
    return list(rows.select_related("thread__board").order_by("-id")[:limit])


def since(hours):
    return timezone.now() - timedelta(hours=hours)
