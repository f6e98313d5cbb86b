"""The forum as a channel: a thread is an item; the first official moderator reply is its first response.

Counted: threads a customer opened that are published, waiting for approval or hidden. Rejected, deleted
and merged threads are left out (spam is not volume; a merged thread's posts count in the thread it joined).
Solved: the accepted answer's time, else the moderator's close. Reopened: a "reopen" in the audit log.
VIP: the asker is on the VIP line (portal.accounts' VipCustomer, the list the message desk keeps).
"""

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from forum.models import AuditEntry, BoardPage, Post, Thread
from forum.queries import sla_waiting
from portal.accounts.models import VipCustomer
from portal.operations.sources import Channel, Queue, register

COUNTED_STATES = [Thread.State.PUBLISHED, Thread.State.PENDING, Thread.State.HIDDEN]


class ForumChannel(Channel):
    key = "forum"
    label = _("Forum")
    group_label = _("Board")

    def items(self):
        first_official = Post.objects.filter(thread=OuterRef("pk"), is_official=True, state=Post.State.PUBLISHED)
        closed = AuditEntry.objects.filter(thread=OuterRef("pk"), action=AuditEntry.Action.CLOSE).order_by("id")
        reopened = AuditEntry.objects.filter(thread=OuterRef("pk"), action=AuditEntry.Action.REOPEN)
        return Thread.objects.filter(state__in=COUNTED_STATES).annotate(
            op_opened=F("created_at"),
            op_first_response=F("first_response_at"),
            op_due=F("sla_due_at"),
            op_resolved=Coalesce(F("accepted_post__created_at"), Subquery(closed.values("created_at")[:1])),
            op_reopened=Exists(reopened),
            op_rating=F("rating__rating"),
            op_vip=Exists(VipCustomer.objects.filter(user_id=OuterRef("author_id"))),
            op_group=F("board_id"),
            op_group_label=F("board__title"),
            op_staff=Subquery(first_official.order_by("id").values("author_id")[:1]),
            op_title=F("title"),
        )

    def queue(self, now):
        waiting = sla_waiting()
        counts = waiting.aggregate(waiting=Count("id"), breached=Count("id", filter=Q(sla_due_at__lt=now)))
        oldest = waiting.order_by("created_at", "id").select_related("board").first()
        queue = Queue(counts["waiting"], counts["breached"])
        if oldest is not None:
            queue.oldest_title = oldest.title
            queue.oldest_url = oldest.get_absolute_url()
            queue.oldest_opened = oldest.created_at
        return queue

    def item_urls(self, pks):
        threads = list(Thread.objects.filter(pk__in=pks).only("pk", "slug", "board_id"))
        boards = {board.pk: board.url for board in BoardPage.objects.filter(pk__in={t.board_id for t in threads})}
        return {thread.pk: thread.get_absolute_url(boards.get(thread.board_id) or "/") for thread in threads}

    def groups(self):
        return [(str(pk), title) for pk, title in BoardPage.objects.order_by("path").values_list("pk", "title")]


register(ForumChannel())
