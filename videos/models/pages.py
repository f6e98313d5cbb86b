"""Video page types: index > series > episode.

A series has a description, a cover, hosts and a recurring schedule stored as a rule (weekly or the n-th
weekday of each month, at a Beijing time). An episode has experts, an air time and duration, a status
derived from those times and the editor's "on air" switch, the video (an uploaded wagtailmedia file or an
allow-listed embed), a poster, chapters, captions in both languages and a transcript read from WebVTT
files, related KB articles and slides. Queries for the pages live in videos/queries.py.
"""

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from videos import vtt

BEIJING = ZoneInfo("Asia/Shanghai")
# First URL segments below /videos/ that the app's own endpoints use (videos/urls.py): no series may take them.
RESERVED_SLUGS = frozenset({"live", "calendar", "ical"})


class EpisodeStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Upcoming")
    LIVE = "live", _("Live now")
    REPLAY = "replay", _("Replay")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Frequency(models.TextChoices):
    NONE = "", _("No fixed schedule")
    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("Once a month")


RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class VideoIndexPage(RoutablePageMixin, Page):
    section_key = "videos"  # names the area for the theme (icon, navigation)
    intro = models.CharField(_("introduction"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["videos.SeriesPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("video index")

    def get_context(self, request, *args, **kwargs):
        from videos import queries

        context = super().get_context(request, *args, **kwargs)
        context.update(queries.index_context(self, request))
        return context

    def route(self, request, path_components):
        """Find a series or episode below the index with one query (Wagtail walks two per level); the
        index's and series' own sub-pages (calendar, feeds) route as usual. An episode missing in this
        language but present in another redirects there (as the KB does)."""
        if len(path_components) in (1, 2):
            model = SeriesPage if len(path_components) == 1 else EpisodePage
            url_path = self.url_path + "/".join(path_components) + "/"
            page = model.objects.filter(url_path=url_path, live=True).select_related("locale").first()
            if page is not None:
                return RouteResult(page)
        try:
            return super().route(request, path_components)
        except Http404:
            from videos import queries

            fallback = queries.translation_fallback(self, path_components)
            if fallback is None:
                raise
            return RouteResult(self, kwargs={"video_fallback": fallback})

    def serve(self, request, *args, **kwargs):
        fallback = kwargs.pop("video_fallback", None)
        if fallback is not None:
            return HttpResponseRedirect(f"{fallback.get_url(request)}?from={self.locale.language_code}")
        return super().serve(request, *args, **kwargs)

    @path("calendar/")
    def calendar(self, request):
        from videos import queries

        context = self.get_context(request)
        context.update(queries.calendar_context(self, request))
        return self.render(request, context_overrides=context, template="videos/calendar.html")

    @path("ical/")
    def calendar_feed(self, request):
        from videos import feeds

        return feeds.ical_response(feeds.episodes_for_calendar(self.locale_id), self.title, "videos", request)


class SeriesPage(RoutablePageMixin, Page):
    description = models.TextField(_("description"), blank=True)
    schedule = models.CharField(_("schedule"), max_length=120, blank=True, help_text=_("e.g. 'Every Friday 19:30'"))
    # Nullable: a series may have no cover yet; deleting the image keeps the series.
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
    )
    hosts = ParentalManyToManyField("videos.Expert", blank=True, related_name="hosted_series", verbose_name=_("hosts"))
    schedule_frequency = models.CharField(
        _("repeats"), max_length=10, choices=Frequency.choices, default=Frequency.NONE, blank=True
    )
    # Nullable: only meaningful when the series repeats.
    schedule_weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, null=True, blank=True)
    schedule_week = models.PositiveSmallIntegerField(
        _("week of the month"), null=True, blank=True, help_text=_("1-4 for a monthly series (2 = the second).")
    )
    schedule_time = models.TimeField(_("time (Beijing)"), null=True, blank=True)
    schedule_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=60)

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        FieldPanel("cover_image"),
        FieldPanel("hosts"),
        MultiFieldPanel(
            [
                FieldPanel("schedule"),
                FieldRowPanel(
                    [FieldPanel("schedule_frequency"), FieldPanel("schedule_weekday"), FieldPanel("schedule_week")]
                ),
                FieldRowPanel([FieldPanel("schedule_time"), FieldPanel("schedule_minutes")]),
            ],
            heading=_("Schedule"),
        ),
    ]
    parent_page_types = ["videos.VideoIndexPage"]
    subpage_types = ["videos.EpisodePage"]

    class Meta:
        verbose_name = _("video series")

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("This address is used by the video pages themselves; choose another.")})
        if self.schedule_frequency:
            missing = [f for f in ("schedule_weekday", "schedule_time") if getattr(self, f) is None]
            if self.schedule_frequency == Frequency.MONTHLY and not self.schedule_week:
                missing.append("schedule_week")
            if missing:
                raise ValidationError(dict.fromkeys(missing, _("A repeating series needs this.")))
            if self.schedule_week is not None and not 1 <= self.schedule_week <= 4:
                raise ValidationError({"schedule_week": _("Choose a week from 1 to 4.")})

    def get_context(self, request, *args, **kwargs):
        from videos import queries

        context = super().get_context(request, *args, **kwargs)
        context.update(queries.series_context(self, request))
        return context

    # --- the schedule rule -----------------------------------------------------------------------------
    def rrule(self):
        """The schedule as an iCalendar RRULE dict, or None."""
        if not self.schedule_frequency or self.schedule_weekday is None:
            return None
        day = RRULE_DAYS[self.schedule_weekday]
        if self.schedule_frequency == Frequency.MONTHLY:
            return {"FREQ": "MONTHLY", "BYDAY": f"{self.schedule_week}{day}"}
        return {"FREQ": "WEEKLY", "BYDAY": day}

    def next_slots(self, after=None, count=3):
        """The next `count` scheduled start times (aware, Beijing time) after `after`."""
        if self.rrule() is None or self.schedule_time is None:
            return []
        after = timezone.localtime(after or timezone.now(), BEIJING)
        day, slots = after.date(), []
        for _step in range(400):
            if day.weekday() == self.schedule_weekday and (
                self.schedule_frequency == Frequency.WEEKLY or (day.day - 1) // 7 + 1 == self.schedule_week
            ):
                start = dt.datetime.combine(day, self.schedule_time, tzinfo=BEIJING)
                if start > after:
                    slots.append(start)
                    if len(slots) >= count:
                        break
            day += dt.timedelta(days=1)
        return slots

    @path("ical/")
    def calendar_feed(self, request):
        from videos import feeds

        episodes = feeds.episodes_for_calendar(self.locale_id, series=self)
        return feeds.ical_response(episodes, self.title, self.slug, request, series=self)

    @path("feed/")
    def rss_feed(self, request):
        from videos import feeds

        return feeds.SeriesFeed()(request, series=self)


class TimecodeBlock(blocks.CharBlock):
    """A moment in the video, typed as 12:34 or 1:02:03 (or plain seconds)."""

    def clean(self, value):
        value = super().clean(value)
        try:
            vtt.parse_timecode(value)
        except ValueError:
            raise ValidationError(_("Write the time as minutes:seconds, e.g. 12:34.")) from None
        return value


class ChapterBlock(blocks.StructBlock):
    start = TimecodeBlock(label=_("starts at"), max_length=10)
    title = blocks.CharBlock(label=_("title"), max_length=120)

    class Meta:
        icon = "time"
        label = _("Chapter")


def _allowed_embed(url):
    host = (urlsplit(url).hostname or "").lower()
    return urlsplit(url).scheme == "https" and host in settings.PORTAL_VIDEOS_EMBED_PROVIDERS


class EpisodePage(Page):
    experts = ParentalManyToManyField("videos.Expert", blank=True, related_name="episodes", verbose_name=_("experts"))
    # Nullable: on-demand lessons (视频课堂) have no broadcast time.
    air_at = models.DateTimeField(_("air time"), null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration in seconds"), default=0)
    on_air = models.BooleanField(
        _("on air"), default=False, help_text=_("Switch on while broadcasting live, whatever the scheduled times say.")
    )
    # Nullable: an episode may use an embed instead, or have only a poster before the broadcast.
    video = models.ForeignKey(
        "wagtailmedia.Media",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("video file"),
    )
    embed_url = models.URLField(
        _("embedded player address"), blank=True, help_text=_("Only players of the approved providers are accepted.")
    )
    poster = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("poster"),
    )
    summary = models.TextField(_("summary"), blank=True)
    chapters = StreamField([("chapter", ChapterBlock())], blank=True, verbose_name=_("chapters"))
    # Each upload is read on save; the parsed cues below are what pages, the player and search use.
    chapters_file = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("chapters from WebVTT"),
        help_text=_("Fills the chapters above from a WebVTT chapters file when you save."),
    )
    captions_zh = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Chinese captions (WebVTT)"),
    )
    captions_en = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("English captions (WebVTT)"),
    )
    # Denormalised from the caption files on save: {"zh-hans": [cue...], "en": [cue...]}.
    captions = models.JSONField(default=dict, blank=True, editable=False)
    # Denormalised: the cues of the captions in this page's language (else the other one).
    transcript = models.JSONField(default=list, blank=True, editable=False)
    related_articles = ParentalManyToManyField(
        "kb.ArticlePage", blank=True, related_name="+", verbose_name=_("related KB articles")
    )
    slides = ParentalManyToManyField("wagtaildocs.Document", blank=True, related_name="+", verbose_name=_("slides"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("experts"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("air_at"), FieldPanel("duration_seconds")]), FieldPanel("on_air")],
            heading=_("Broadcast"),
        ),
        MultiFieldPanel([FieldPanel("video"), FieldPanel("embed_url"), FieldPanel("poster")], heading=_("Video")),
        MultiFieldPanel(
            [FieldPanel("captions_zh"), FieldPanel("captions_en"), FieldPanel("chapters_file"), FieldPanel("chapters")],
            heading=_("Captions, transcript and chapters"),
        ),
        FieldPanel("related_articles"),
        FieldPanel("slides"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["videos.SeriesPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("video episode")

    # --- status ------------------------------------------------------------------------------------------
    @property
    def ends_at(self):
        if self.air_at is None:
            return None
        return self.air_at + dt.timedelta(seconds=self.duration_seconds or 3600)

    def status(self, now=None):
        now = now or timezone.now()
        if self.on_air:
            return EpisodeStatus.LIVE
        if self.air_at is None:
            return EpisodeStatus.REPLAY
        if now < self.air_at:
            return EpisodeStatus.SCHEDULED
        if now < self.ends_at:
            return EpisodeStatus.LIVE
        return EpisodeStatus.REPLAY

    # --- chapters and captions from WebVTT ----------------------------------------------------------------
    def clean(self):
        super().clean()
        errors = {}
        if self.embed_url and not _allowed_embed(self.embed_url):
            errors["embed_url"] = _("Embeds are allowed only from these providers: %(hosts)s.") % {
                "hosts": ", ".join(sorted(settings.PORTAL_VIDEOS_EMBED_PROVIDERS)) or "-"
            }
        errors.update(self.load_webvtt())
        if errors:
            raise ValidationError(errors)

    def load_webvtt(self):
        """Read the caption and chapter files into `captions`, `transcript` and `chapters`.

        Returns {field: [line messages]} for files that cannot be read; nothing is changed then.
        """
        errors, captions = {}, {}
        for field, language in (("captions_zh", "zh-hans"), ("captions_en", "en")):
            document = getattr(self, field)
            if document is None:
                continue
            try:
                captions[language] = vtt.parse(vtt.read_document(document))
            except vtt.VttError as exc:
                errors[field] = exc.messages
        chapter_cues = None
        if self.chapters_file is not None:
            try:
                chapter_cues = vtt.parse(vtt.read_document(self.chapters_file))
            except vtt.VttError as exc:
                errors["chapters_file"] = exc.messages
        if errors:
            return errors
        self.captions = captions
        own = "en" if self.locale_id and self.locale.language_code == "en" else "zh-hans"
        self.transcript = captions.get(own) or next(iter(captions.values()), [])
        if chapter_cues is not None:
            self.chapters = [
                ("chapter", {"start": vtt.timestamp(cue["start"], precise=False), "title": cue["text"][:120]})
                for cue in chapter_cues
            ]
            self.chapters_file = None  # read once: later edits of the chapters above are kept
        return {}

    def chapter_list(self):
        """[{"start": seconds, "label": "12:34", "title"}] in time order."""
        items = []
        for block in self.chapters:
            seconds = vtt.parse_timecode(block.value["start"])
            items.append(
                {"start": seconds, "label": vtt.timestamp(seconds, precise=False), "title": block.value["title"]}
            )
        return sorted(items, key=lambda item: item["start"])

    def transcript_lines(self):
        return [
            {"start": int(cue["start"]), "label": vtt.timestamp(cue["start"], precise=False), "text": cue["text"]}
            for cue in self.transcript
        ]

    def transcript_text(self):
        """The transcript as "m:ss text" lines: search indexes it, and a hit's time is read back from it."""
        return "\n".join(f"{line['label']} {line['text']}" for line in self.transcript_lines())

    def caption_languages(self):
        return [code for code in ("zh-hans", "en") if self.captions.get(code)]

    def embed_allowed(self):
        return bool(self.embed_url) and _allowed_embed(self.embed_url)

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if self.embed_allowed() and not self.video_id:
            parts = urlsplit(self.embed_url)
            response._csp_update = {"frame-src": [f"https://{parts.hostname}"]}
        return response

    def get_context(self, request, *args, **kwargs):
        from videos import queries

        context = super().get_context(request, *args, **kwargs)
        context.update(queries.episode_context(self, request))
        return context
