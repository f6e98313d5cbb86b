"""Threads and posts: what customers write, with the counters and markers the pages read.

Counters on Thread (reply_count, last_post, last_post_at) are denormalised for the board list and are
only ever changed by forum/actions/ under a row lock on the thread, so they stay exact under
concurrent replies. Visibility is a `state` on both; forum/policies.py decides who sees which state.
The methods at the end of Thread are the interface the search app calls (it is not imported here).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden")
    REJECTED = "rejected", _("Rejected")
    DELETED = "deleted", _("Deleted")
    MERGED = "merged", _("Merged")  # threads only: its posts now live in `merged_into`


# Threads waiting for staff: never answered, or re-opened by a dissatisfied asker (the SLA queue's filter).
SLA_WAITING = Q(status="open", state__in=["published", "pending"]) & (
    Q(first_response_at__isnull=True) | Q(reopened_at__isnull=False)
)


class Thread(models.Model):
    State = State

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    board = models.ForeignKey("forum.BoardPage", on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("title"), max_length=200)
    slug = models.CharField(max_length=80, blank=True)  # from the title, for readable URLs; the id decides
    # Nullable: an account may be deleted; its threads stay.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="forum_threads"
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.PUBLISHED)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    is_locked = models.BooleanField(default=False)
    is_pinned = models.BooleanField(default=False)
    # Denormalised: published replies (the opening post excluded). Changed only under a lock on this row.
    reply_count = models.PositiveIntegerField(default=0)
    # Denormalised: the newest published post and its time, for the board list. Nullable while pending.
    last_post = models.ForeignKey("forum.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_post_at = models.DateTimeField(null=True, blank=True)
    # Denormalised: the question post, so lists and feeds need no second query. Nullable only while creating.
    opening_post = models.ForeignKey("forum.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Nullable: set when the asker or a moderator accepts an answer.
    accepted_post = models.ForeignKey("forum.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Nullable: a thread closed as a duplicate points to another thread or to a KB article URL.
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    duplicate_url = models.CharField(max_length=500, blank=True)
    # Nullable: a merged thread redirects here.
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Nullable: the draft KB article made from this thread (forum knows kb; kb does not know forum).
    kb_article = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the board's first-response target runs out (stored, so the SLA queue is one indexed range scan).
    sla_due_at = models.DateTimeField()
    # Nullable: set by the first published moderator reply; null means still waiting for staff.
    first_response_at = models.DateTimeField(null=True, blank=True)
    # Nullable: a moderator claims a thread so two do not answer at once; the claim lapses after a while.
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Nullable: set when the asker rates the answer "dissatisfied" (the thread waits for staff again, in the
    # SLA queue marked re-opened); cleared by the next official answer. first_response_at keeps the first one.
    reopened_at = models.DateTimeField(null=True, blank=True)
    # Nullable: when the breach past PORTAL_FORUM_SLA_ESCALATE_HOURS was escalated to the supervisors (once).
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        permissions = [("moderate_forum", _("Can moderate every forum board"))]
        indexes = [
            models.Index(fields=["board", "state", "-last_post_at", "-id"], name="forum_thread_board_list"),
            # Moderators list every state at once (published, pending, hidden): the same order without state,
            # or PostgreSQL sorts the whole board (18 ms at 20,000 threads instead of 1 ms).
            models.Index(fields=["board", "-last_post_at", "-id"], name="forum_thread_board_all"),
            # Pinned threads are few: a partial index finds them without walking the whole board.
            models.Index(fields=["board", "-last_post_at"], name="forum_thread_pinned", condition=Q(is_pinned=True)),
            models.Index(fields=["sla_due_at"], name="forum_thread_sla", condition=SLA_WAITING),
            # The operations dashboard reads threads by the day, week or month they were opened in.
            models.Index(fields=["created_at"], name="forum_thread_created"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self, board_url=None):
        base = board_url if board_url is not None else self.board.url
        return f"{base}t/{self.pk}-{self.slug}/" if self.slug else f"{base}t/{self.pk}/"

    @property
    def is_public(self):
        return self.state == State.PUBLISHED

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    # --- The interface the search app calls (see forum/signals.py) -----------------------------------------
    @property
    def language_code(self):
        return self.board.locale.language_code

    def search_audience(self):
        """ "public" when customers can see the thread, "staff" otherwise (pending, hidden, rejected...)."""
        return "public" if self.state == State.PUBLISHED else "staff"

    def search_posts(self):
        """The posts a customer can read, oldest first (all of them for a staff-only thread's moderators)."""
        posts = self.posts.order_by("id")
        if self.search_audience() == "public":
            return posts.filter(state=State.PUBLISHED)
        return posts.exclude(state__in=[State.DELETED, State.REJECTED])

    def search_text(self):
        """Plain text of the question and the visible replies, for indexing."""
        from forum.markdown import plain_text

        return "\n\n".join([self.title, *(plain_text(post.body_html) for post in self.search_posts())])

    def accepted_answer_text(self):
        """Plain text of the accepted answer when customers can see it, else ''."""
        from forum.markdown import plain_text

        post = self.accepted_post
        if post is None or post.state != State.PUBLISHED:
            return ""
        return plain_text(post.body_html)


class Post(models.Model):
    State = State

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    # Nullable: an account may be deleted; its posts stay, shown as a former member.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="forum_posts"
    )
    body = models.TextField(_("text"))  # Markdown source, personal data already masked
    body_html = models.TextField(editable=False)  # rendered and sanitised once at save, never per view
    state = models.CharField(max_length=12, choices=State.choices, default=State.PUBLISHED)
    is_opening = models.BooleanField(default=False)  # the question that starts the thread
    is_official = models.BooleanField(default=False)  # a moderator's official answer
    hidden_reason = models.CharField(max_length=255, blank=True)
    # Denormalised: open flags, changed with F() in flag_post / resolve_flags.
    flag_count = models.PositiveSmallIntegerField(default=0)
    masked_kinds = models.JSONField(default=list, blank=True)  # what portal.core.masking hid, for the notice
    body_hash = models.CharField(max_length=64, db_index=True)  # normalised text, for duplicate detection
    # Nullable: posts made by the demo or by commands have no address. Moderators only.
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Nullable: set on the first edit.
    edited_at = models.DateTimeField(null=True, blank=True)
    edit_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            models.Index(fields=["thread", "state", "id"], name="forum_post_thread_page"),
            # Moderators read every state but pending/hidden/published: (thread, state, id) cannot give them a
            # page in id order without sorting the whole thread; this walks the thread's ids and filters.
            models.Index(fields=["thread", "id"], name="forum_post_thread_order"),
            models.Index(fields=["state", "-created_at"], name="forum_post_state"),
            models.Index(fields=["author", "-created_at"], name="forum_post_author"),
        ]

    def __str__(self):
        return f"#{self.pk} in {self.thread_id}"

    @property
    def anchor(self):
        return f"post-{self.pk}"


class PostRevision(models.Model):
    """The text of a post before an edit: the edit history."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=200, blank=True)  # the thread title before, for opening posts
    body = models.TextField()
    # Nullable: the editor's account may be deleted.
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"#{self.post_id} before {self.created_at:%Y-%m-%d %H:%M}"


def attachment_path(instance, filename):
    # The name comes from portal.core.images (random); the customer's own file name never reaches the disk.
    return f"forum/{timezone.now():%Y/%m}/{filename}"


class Attachment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    image = models.ImageField(upload_to=attachment_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.image.name


class ThreadRead(models.Model):
    """How far a signed-in reader has read a thread (unread markers)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    last_read_post_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="forum_threadread_unique")]

    def __str__(self):
        return f"{self.user_id} read {self.thread_id} to {self.last_read_post_id}"


class Subscription(models.Model):
    """A follower of a thread: e-mailed when a reply is published."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="forum_subscription_unique")]

    def __str__(self):
        return f"{self.user_id} follows {self.thread_id}"


class EmailOptOut(models.Model):
    """A kind of forum e-mail a user turned off (through the one-click unsubscribe link)."""

    class Kind(models.TextChoices):
        REPLIES = "replies", _("Replies to threads I follow")
        MENTIONS = "mentions", _("Mentions of me")
        ANSWERS = "answers", _("Accepted answers")
        DIGEST = "digest", _("SLA breach digest")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="forum_optout_unique")]

    def __str__(self):
        return f"{self.user_id}: no {self.kind}"


class AnswerRating(models.Model):
    """The asker's satisfaction with the answer to their question (one per thread)."""

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        NEUTRAL = "neutral", _("Neutral")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    thread = models.OneToOneField(Thread, on_delete=models.CASCADE, related_name="rating")
    # Nullable: the rated answer may later be removed; the rating stays for the statistics.
    post = models.ForeignKey(Post, null=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rating = models.CharField(max_length=12, choices=Rating.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.thread_id}: {self.rating}"
