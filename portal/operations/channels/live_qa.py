"""Live Q&A as a channel: a question a viewer asked during a live broadcast is an item; the moderator's written
answer is its first response (videos.actions.answer_question sets `answered_at` and `answered_by`).

Counted: questions waiting for approval and approved ones. Rejected questions are left out (off-topic and spam
are not volume, as the forum leaves out rejected threads). Due: PORTAL_OPERATIONS_LIVE_QA_MINUTES after the
question was asked (videos has no target of its own; a live answer is worth little once the broadcast is over).
Solved: answered (a live question has no later step). Never reopened and never rated: videos records neither.
VIP: the asker is on the VIP line (portal.accounts' VipCustomer, as for the forum). Group: the series the
episode belongs to (a bounded list a target can be set for; each broadcast is one of its episodes).
Waiting now: unanswered questions, pending or approved, of broadcasts that are live at that moment (on air by
the switch, or between their air time and its end, as EpisodePage.status says), in either language.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Length, Substr
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import VipCustomer
from portal.operations.expressions import Epoch
from portal.operations.sources import Channel, Queue, register
from videos.models import EpisodePage, Question, SeriesPage

COUNTED_STATES = [Question.State.PENDING, Question.State.APPROVED]
TITLE_CHARS = 80
DEFAULT_EPISODE_SECONDS = 3600.0  # EpisodePage.ends_at: an episode without a length lasts an hour


def due_minutes():
    return settings.PORTAL_OPERATIONS_LIVE_QA_MINUTES


def _series():
    """The series page of the question's episode: the parent, whose path is the episode's minus one step."""
    parent_path = Substr(OuterRef("episode__path"), 1, Length(OuterRef("episode__path")) - Value(EpisodePage.steplen))
    return SeriesPage.objects.filter(path=parent_path)


def live_broadcasts(now):
    """The broadcasts (episode translation keys) that are live at `now`, as a subquery."""
    length = Case(
        When(duration_seconds=0, then=Value(DEFAULT_EPISODE_SECONDS)),
        default=Cast("duration_seconds", FloatField()),
        output_field=FloatField(),
    )
    return (
        EpisodePage.objects.live()
        .annotate(op_ends=Epoch(F("air_at")) + length)
        .filter(Q(on_air=True) | Q(air_at__lte=now, op_ends__gt=now.timestamp()))
        .values("translation_key")
    )


class LiveQAChannel(Channel):
    key = "live_qa"
    label = _("Live Q&A")
    group_label = _("Series")

    def _questions(self):
        return Question.objects.filter(state__in=COUNTED_STATES)

    def items(self):
        return self._questions().annotate(
            op_opened=F("created_at"),
            op_first_response=F("answered_at"),
            op_due=ExpressionWrapper(
                F("created_at") + Value(timedelta(minutes=due_minutes())), output_field=DateTimeField()
            ),
            op_resolved=F("answered_at"),
            op_reopened=Value(False, output_field=BooleanField()),
            op_rating=Value(None, output_field=CharField()),
            op_vip=Exists(VipCustomer.objects.filter(user_id=OuterRef("author_id"))),
            op_group=Subquery(_series().values("pk")[:1]),
            op_group_label=Subquery(_series().values("title")[:1]),
            op_staff=F("answered_by_id"),
            op_title=F("text"),
        )

    def queue(self, now):
        waiting = self.items().filter(answered_at=None, broadcast__in=live_broadcasts(now))
        counts = waiting.aggregate(waiting=Count("pk"), breached=Count("pk", filter=Q(op_due__lt=now)))
        oldest = waiting.order_by("created_at", "pk").select_related("episode").first()
        queue = Queue(counts["waiting"], counts["breached"])
        if oldest is not None:
            queue.oldest_title = self.title_text(oldest.text)
            queue.oldest_url = f"{oldest.episode.url}#q-{oldest.pk}"
            queue.oldest_opened = oldest.created_at
        return queue

    def item_urls(self, pks):
        episodes = dict(Question.objects.filter(pk__in=pks).values_list("pk", "episode_id"))
        urls = {page.pk: page.url for page in EpisodePage.objects.filter(pk__in=set(episodes.values()))}
        return {pk: f"{urls[episode]}#q-{pk}" for pk, episode in episodes.items() if urls.get(episode)}

    def groups(self):
        return [(str(pk), title) for pk, title in SeriesPage.objects.order_by("path").values_list("pk", "title")]

    def title_text(self, title):
        return Truncator(title).chars(TITLE_CHARS)


register(LiveQAChannel())
