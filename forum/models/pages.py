"""Forum page types: the forum index and its boards, arranged by editors in the Wagtail tree.

A board serves its threads through RoutablePageMixin (/forum/<board>/t/<id>-<slug>/, a permalink per post
at /forum/<board>/p/<post id>/, the new-thread form and the RSS feed), so thread URLs follow the board
when editors move or rename it. The routes delegate to forum/views.py; this module holds only content.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.models import Page

from portal.core.pageforms import PortalPageForm

# forum/urls.py is mounted at /forum/ in front of Wagtail: a board may not take one of its first segments.
RESERVED_BOARD_SLUGS = frozenset({"moderation", "posts", "threads", "polls", "unsubscribe", "users"})


class ForumIndexPage(Page):
    section_key = "forum"  # names the area for the theme (icon, navigation)
    intro = models.CharField(_("introduction"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["forum.BoardPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("forum index")

    def get_context(self, request, *args, **kwargs):
        from forum import caching, queries
        from portal.core import pagecache

        pagecache.allow(request, caching.BOARDS)
        context = super().get_context(request, *args, **kwargs)
        context["boards"] = queries.board_summaries(request, self)
        return context


class BoardPageForm(PortalPageForm):
    """The board's admin form: the moderator picker offers staff only (ForumPolicy.possible_moderators)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "moderators" in self.fields:
            from forum.policies import ForumPolicy

            self.fields["moderators"].queryset = ForumPolicy.possible_moderators()


class BoardPage(RoutablePageMixin, Page):
    class PostingPolicy(models.TextChoices):
        OPEN = "open", _("Open: posts appear at once")
        NEW_MEMBERS_MODERATED = "new_members", _("New members' posts are approved first")
        ALL_MODERATED = "all", _("Every post is approved first")
        STAFF_ONLY = "staff", _("Announcements: only staff start threads")

    description = models.CharField(_("description"), max_length=255, blank=True)
    rules = models.TextField(_("rules"), blank=True)
    first_response_hours = models.PositiveSmallIntegerField(_("first-response target (hours)"), default=24)
    # The board's own moderators ("my boards", SLA digest). Anyone with forum.moderate_forum moderates every
    # board; a listed staff member moderates this board even without that permission.
    moderators = ParentalManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="moderated_boards", verbose_name=_("moderators")
    )
    # Nullable: most boards are looked after by the whole Moderators team rather than one group.
    moderator_group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("moderator group"),
    )
    posting_policy = models.CharField(
        _("posting policy"), max_length=20, choices=PostingPolicy.choices, default=PostingPolicy.OPEN
    )
    polls_allowed = models.BooleanField(_("polls allowed"), default=False)
    read_only = models.BooleanField(
        _("read-only"), default=False, help_text=_("Customers can read but not post; moderators still can.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        FieldPanel("rules"),
        MultiFieldPanel(
            [
                FieldPanel("moderators"),
                FieldPanel("moderator_group"),
                FieldPanel("first_response_hours"),
                FieldPanel("posting_policy"),
                FieldPanel("polls_allowed"),
                FieldPanel("read_only"),
            ],
            heading=_("Moderation"),
        ),
    ]
    base_form_class = BoardPageForm
    parent_page_types = ["forum.ForumIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("board")

    def clean(self):
        super().clean()
        if self.slug in RESERVED_BOARD_SLUGS:
            raise ValidationError({"slug": _("This address is reserved by the forum. Please choose another.")})

    # --- Routes (thin: forum.views does the work) ---------------------------------------------------------
    @path("")
    def thread_list(self, request):
        from forum import views

        return views.board(request, self)

    @path("new/")
    def new_thread(self, request):
        from forum import views

        return views.new_thread(request, self)

    @re_path(r"^t/(?P<thread_id>\d+)(?:-(?P<slug>[^/]+))?/$")
    def thread(self, request, thread_id, slug=None):
        from forum import views

        return views.thread(request, self, int(thread_id))

    @path("p/<int:post_id>/")
    def permalink(self, request, post_id):
        from forum import views

        return views.permalink(request, self, post_id)

    @path("feed/")
    def feed(self, request):
        from forum import feeds

        return feeds.BoardFeed()(request, board=self)
