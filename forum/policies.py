"""Who may do what in the forum. Views, templates, feeds, e-mails and the search side all ask ForumPolicy.

Moderators: anyone with forum.moderate_forum (the Moderators group) moderates every board; a staff member
named on a board (directly or through its moderator group) moderates that board. Customers see only
published threads and posts, plus their own posts that wait for approval. Supervisors (the Supervisors
role) hear of escalations and dissatisfied askers.

The policy answers both ways: "may this user...?" (can_moderate, posting_refusal...) and "who may...?"
(moderators_of(board), forum_moderators(), supervisors()), from the same rule, so no caller re-derives it.
Per-user answers are kept in one cache on the user object (`permission_cache_name`, as Wagtail's
permission policies do), living as long as the request's user; `forget(user)` drops it after a change.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import BoardPage, Sanction, Thread
from forum.models.threads import State
from portal.core import roles

MODERATOR_STATES = (State.PUBLISHED, State.PENDING, State.HIDDEN)


class ForumPolicy:
    permission_cache_name = "_forum_permission_cache"

    @classmethod
    def _cached(cls, user, key, compute):
        cache = user.__dict__.setdefault(cls.permission_cache_name, {})
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    @classmethod
    def forget(cls, user):
        """Drop what the policy remembers about `user` (after a sanction, a role or board change)."""
        user.__dict__.pop(cls.permission_cache_name, None)
        roles.forget(user)

    # --- Who may: the same rules, asked the other way round -------------------------------------------------
    @staticmethod
    def _moderate_permission():
        from django.contrib.auth.models import Permission

        return Permission.objects.filter(codename="moderate_forum", content_type__app_label="forum")

    @classmethod
    def _global_moderators_q(cls):
        User = get_user_model()
        permission = cls._moderate_permission()
        return (
            Q(is_superuser=True)
            | Q(pk__in=User.objects.filter(groups__permissions__in=permission).values("pk"))
            | Q(pk__in=User.objects.filter(user_permissions__in=permission).values("pk"))
        )

    @staticmethod
    def _staff_q():
        User = get_user_model()
        return (
            Q(is_staff=True)
            | Q(is_superuser=True)
            | Q(pk__in=User.objects.filter(groups__name__in=roles.STAFF_ROLES).values("pk"))
        )

    @classmethod
    def moderators_of(cls, board):
        """Active users who moderate `board`: superusers and forum.moderate_forum holders, and the staff named
        on the board directly or through its moderator group."""
        User = get_user_model()
        # The through table, not board.moderators: a page's ParentalManyToMany manager may answer from memory.
        listed = Q(pk__in=BoardPage.moderators.through.objects.filter(boardpage_id=board.pk).values("user_id"))
        if board.moderator_group_id:
            listed |= Q(pk__in=User.objects.filter(groups=board.moderator_group_id).values("pk"))
        return User.objects.filter(cls._global_moderators_q() | (listed & cls._staff_q()), is_active=True)

    @classmethod
    def possible_moderators(cls):
        """Who an editor may name as a board's moderator: active staff only, never a customer."""
        return get_user_model().objects.filter(cls._staff_q(), is_active=True).order_by("display_name", "email")

    @classmethod
    def forum_moderators(cls):
        """Active users who moderate at least one board, by id."""
        User = get_user_model()
        listed = Q(pk__in=BoardPage.moderators.through.objects.values("user_id")) | Q(
            pk__in=User.objects.filter(groups__in=BoardPage.objects.values("moderator_group")).values("pk")
        )
        return User.objects.filter(cls._global_moderators_q() | (listed & cls._staff_q()), is_active=True).order_by(
            "pk"
        )

    @staticmethod
    def supervisors():
        """Active members of the Supervisors role with an e-mail address (escalations, dissatisfied askers)."""
        return (
            get_user_model()
            .objects.filter(groups__name=roles.SUPERVISORS, is_active=True)
            .exclude(email="")
            .distinct()
            .order_by("pk")
        )

    # --- Roles ----------------------------------------------------------------------------------------------
    @staticmethod
    def is_global_moderator(user):
        if not user.is_authenticated or not user.is_active:
            return False
        return ForumPolicy._cached(user, "global", lambda: user.is_superuser or user.has_perm("forum.moderate_forum"))

    @classmethod
    def can_moderate(cls, user, board=None):
        """May moderate `board` (or, with board=None, at least one board)."""
        if cls.is_global_moderator(user):
            return True
        if not user.is_authenticated or not user.is_active:
            return False
        if board is None:
            return bool(cls.listed_board_ids(user))
        return cls._is_staff(user) and board.pk in cls.listed_board_ids(user)

    @classmethod
    def _is_staff(cls, user):
        return cls._cached(user, "staff", lambda: roles.is_staff_member(user))

    @staticmethod
    def listed_board_ids(user):
        """Boards this user is named on ("my boards"), directly or through a board's moderator group."""
        if not user.is_authenticated:
            return frozenset()

        def compute():
            query = Q(moderators=user) | Q(moderator_group__in=user.groups.all())
            return frozenset(BoardPage.objects.filter(query).values_list("pk", flat=True))

        return ForumPolicy._cached(user, "listed", compute)

    @classmethod
    def moderated_board_ids(cls, user):
        """None means every board; otherwise the ids of the boards this user moderates."""
        if cls.is_global_moderator(user):
            return None
        if not cls._is_staff(user):
            return frozenset()
        return cls.listed_board_ids(user)

    @classmethod
    def can_use_queues(cls, user):
        return cls.can_moderate(user)

    @staticmethod
    def can_view_audit(user):
        return user.is_authenticated and user.is_active and user.has_perm("forum.view_auditentry")

    @classmethod
    def can_sanction(cls, user, target):
        if not cls.is_global_moderator(user) or target.pk == user.pk:
            return False
        return not (target.is_superuser or cls.is_global_moderator(target))

    @staticmethod
    def can_hand_off_to_kb(user, thread):
        return ForumPolicy.can_moderate(user, thread.board) and thread.accepted_post_id is not None

    # --- Posting --------------------------------------------------------------------------------------------
    @staticmethod
    def active_sanction(user, now=None):
        if not user.is_authenticated:
            return None

        def compute():
            return Sanction.objects.filter(Sanction.active_q(now), user=user).first()

        return ForumPolicy._cached(user, "sanction", compute)

    @staticmethod
    def active_sanction_exists(user):
        """Whether `user` has a sanction in force, as an Exists() for a query the page runs anyway (the thread
        view reads it with the thread); what it found is handed to `know_sanction`."""
        return Exists(Sanction.objects.filter(Sanction.active_q(), user=user.pk))

    @classmethod
    def know_sanction(cls, user, in_force):
        """What an `active_sanction_exists` found: none in force is remembered (active_sanction then runs no
        query this request); one in force is read by active_sanction when asked, as it needs the sanction."""
        if user.is_authenticated and not in_force:
            user.__dict__.setdefault(cls.permission_cache_name, {}).setdefault("sanction", None)

    @classmethod
    def posting_refusal(cls, user, board, thread=None):
        """Why `user` may not start a thread on `board` (or reply to `thread`), or None when they may."""
        if not user.is_authenticated:
            return _("Please sign in to post.")
        if not user.is_active:
            return _("This account is closed.")
        moderator = cls.can_moderate(user, board)
        sanction = cls.active_sanction(user)
        if sanction is not None and not moderator:
            if sanction.kind == Sanction.Kind.BAN:
                return _("Your account is banned from posting in the forum.")
            until = timezone.localtime(sanction.ends_at).strftime("%Y-%m-%d %H:%M")
            return _("Your account is suspended from posting until %(until)s.") % {"until": until}
        if moderator:
            return None
        if board.read_only:
            return _("This board is read-only.")
        if thread is None:
            if board.posting_policy == BoardPage.PostingPolicy.STAFF_ONLY:
                return _("Only staff start threads on this board.")
            return None
        if thread.state != State.PUBLISHED:
            return _("This thread is not open for replies.")
        if thread.is_locked or thread.is_closed:
            return _("This thread is closed for replies.")
        return None

    @classmethod
    def can_start_thread(cls, user, board):
        return cls.posting_refusal(user, board) is None

    @classmethod
    def can_reply(cls, user, thread):
        return cls.posting_refusal(user, thread.board, thread) is None

    @classmethod
    def is_new_account(cls, user):
        """New accounts are pre-moderated on some boards and limited in links and pictures."""
        if cls.is_global_moderator(user):
            return False

        def compute():
            young = user.date_joined > timezone.now() - timedelta(days=settings.PORTAL_FORUM_NEW_ACCOUNT_DAYS)
            from forum.models import Post

            posts = Post.objects.filter(author=user, state=State.PUBLISHED)[: settings.PORTAL_FORUM_NEW_ACCOUNT_POSTS]
            return young or posts.count() < settings.PORTAL_FORUM_NEW_ACCOUNT_POSTS

        return cls._cached(user, "new", compute)

    @classmethod
    def needs_approval(cls, user, board):
        if cls.can_moderate(user, board):
            return False
        policy = board.posting_policy
        if policy == BoardPage.PostingPolicy.ALL_MODERATED:
            return True
        return policy == BoardPage.PostingPolicy.NEW_MEMBERS_MODERATED and cls.is_new_account(user)

    @classmethod
    def content_limits(cls, user):
        """(links, pictures) allowed in one post."""
        if cls.is_new_account(user):
            return settings.PORTAL_FORUM_NEW_ACCOUNT_MAX_LINKS, settings.PORTAL_FORUM_NEW_ACCOUNT_MAX_IMAGES
        return settings.PORTAL_FORUM_MAX_LINKS, settings.PORTAL_FORUM_MAX_IMAGES

    @classmethod
    def is_rate_limited(cls, user):
        return not cls.is_global_moderator(user)

    # --- Reading --------------------------------------------------------------------------------------------
    @classmethod
    def visible_threads(cls, user, queryset=None):
        queryset = Thread.objects.all() if queryset is None else queryset
        boards = cls.moderated_board_ids(user) if user.is_authenticated else frozenset()
        if boards is None:
            return queryset.filter(state__in=MODERATOR_STATES)
        query = Q(state=State.PUBLISHED)
        if boards:
            query |= Q(board_id__in=boards, state__in=MODERATOR_STATES)
        return queryset.filter(query)

    @classmethod
    def visible_posts_anywhere(cls, user, queryset):
        """Posts of any board the user may read (a member's page): on the boards they moderate every post, as
        there; elsewhere only published posts of published threads."""
        boards = cls.moderated_board_ids(user) if user.is_authenticated else frozenset()
        if boards is None:
            return queryset
        query = Q(state=State.PUBLISHED, thread__state=State.PUBLISHED)
        if boards:
            query |= Q(thread__board_id__in=boards)
        return queryset.filter(query)

    @classmethod
    def visible_posts(cls, user, thread, queryset):
        """Posts of `thread` the user may read: moderators see pending and hidden ones, authors their pending ones."""
        if cls.can_moderate(user, thread.board):
            return queryset.filter(state__in=MODERATOR_STATES)
        if user.is_authenticated:
            return queryset.filter(Q(state=State.PUBLISHED) | Q(state=State.PENDING, author=user))
        return queryset.filter(state=State.PUBLISHED)

    @classmethod
    def can_view_thread(cls, user, thread):
        if thread.state == State.PUBLISHED:
            return True
        if thread.state in MODERATOR_STATES and cls.can_moderate(user, thread.board):
            return True
        return thread.state == State.PENDING and user.is_authenticated and thread.author_id == user.pk

    @classmethod
    def can_view_post(cls, user, post):
        if not cls.can_view_thread(user, post.thread):
            return False
        if post.state == State.PUBLISHED:
            return True
        if post.state in MODERATOR_STATES and cls.can_moderate(user, post.thread.board):
            return True
        return post.state == State.PENDING and user.is_authenticated and post.author_id == user.pk

    @classmethod
    def can_view_history(cls, user, post):
        return cls.can_moderate(user, post.thread.board) or (user.is_authenticated and post.author_id == user.pk)

    # --- Own posts ------------------------------------------------------------------------------------------
    @classmethod
    def can_edit_post(cls, user, post, now=None):
        if cls.can_moderate(user, post.thread.board):
            return post.state in MODERATOR_STATES
        if not user.is_authenticated or post.author_id != user.pk:
            return False
        if post.state not in (State.PUBLISHED, State.PENDING) or cls.active_sanction(user) is not None:
            return False
        if post.thread.is_locked or post.thread.is_closed:
            return False
        window = timedelta(minutes=settings.PORTAL_FORUM_EDIT_WINDOW_MINUTES)
        return (now or timezone.now()) - post.created_at <= window

    @classmethod
    def can_delete_post(cls, user, post):
        """Authors delete their own posts (softly); an opening post only while nobody has replied."""
        if not user.is_authenticated or post.author_id != user.pk:
            return False
        if post.state not in (State.PUBLISHED, State.PENDING):
            return False
        return not (post.is_opening and post.thread.reply_count)

    # --- Answers, polls, flags ------------------------------------------------------------------------------
    @classmethod
    def can_accept(cls, user, thread):
        if thread.state != State.PUBLISHED or not user.is_authenticated:
            return False
        return thread.author_id == user.pk or cls.can_moderate(user, thread.board)

    @staticmethod
    def can_rate(user, thread):
        return (
            user.is_authenticated
            and thread.author_id == user.pk
            and thread.state == State.PUBLISHED
            and (thread.accepted_post_id is not None or thread.first_response_at is not None)
        )

    @classmethod
    def can_flag(cls, user, post):
        return (
            user.is_authenticated
            and user.is_active
            and post.author_id != user.pk
            and post.state == State.PUBLISHED
            and cls.active_sanction(user) is None
        )

    @classmethod
    def can_vote(cls, user, poll, now=None):
        return (
            user.is_authenticated
            and user.is_active
            and poll.thread.state == State.PUBLISHED
            and not poll.is_closed(now)
            and cls.active_sanction(user) is None
        )

    @classmethod
    def can_see_results(cls, user, poll, has_voted, now=None):
        return has_voted or poll.is_closed(now) or cls.can_moderate(user, poll.thread.board)

    @staticmethod
    def can_follow(user, thread):
        return user.is_authenticated and thread.state == State.PUBLISHED
