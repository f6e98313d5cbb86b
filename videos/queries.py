"""Reads of the videos area: page contexts in a fixed number of queries, the Q&A changes, the next broadcast.

Each page's context is computed once per request here (templates never query). The Q&A poll answers
from one indexed query (`changes`); what it needs to know about the episode (language, times, switch)
comes from a per-process memo of a few seconds (`episode_meta`), refreshed after every page publish.
"""

import datetime as dt
import threading
import time

from django.conf import settings
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.images.models import Rendition

from videos.models import EpisodePage, EpisodeStatus, LiveState, Question, QuestionVote, SeriesPage
from videos.policies import VideosPolicy

EXPERT_PHOTO = "fill-96x96"
POSTER = "fill-640x360"
POSTER_LARGE = "fill-1280x720"
COVER = "fill-640x360"
MAX_QUESTIONS = 500  # on one page; the replay keeps them all
CHANGES_PER_POLL = 200
META_SECONDS = 5.0


def _renditions(spec):
    return Prefetch("renditions", queryset=Rendition.objects.filter(filter_spec=spec))


# --- episode meta for the poll endpoint (per process) -----------------------------------------------
_meta = {}
_meta_lock = threading.Lock()


def episode_meta(pk):
    """{"pk", "broadcast", "air_at", "duration_seconds", "on_air"} of a live public episode, or None."""
    now = time.monotonic()
    entry = _meta.get(pk)
    if entry is not None and entry[0] > now:
        return entry[1]
    row = (
        EpisodePage.objects.live()
        .public()
        .filter(pk=pk)
        .values("pk", "translation_key", "air_at", "duration_seconds", "on_air")
        .first()
    )
    meta = None
    if row is not None:
        meta = EpisodePage(
            id=row["pk"],
            translation_key=row["translation_key"],
            air_at=row["air_at"],
            duration_seconds=row["duration_seconds"],
            on_air=row["on_air"],
        )
    with _meta_lock:
        _meta[pk] = (now + META_SECONDS, meta)
    return meta


def forget_episode_meta(*args, **kwargs):
    with _meta_lock:
        _meta.clear()


def _question_dict(q, user, voted=frozenset()):
    return {
        "id": q["id"],
        "text": q["text"],
        "author": q["author__display_name"] or "",
        "state": q["state"],
        "pinned": bool(q["pinned"]),
        "answer": q["answer"],
        "votes": q["vote_count"],
        "voted": q["id"] in voted,
        "mine": bool(user.is_authenticated and q["author_id"] == user.pk),
    }


QUESTION_FIELDS = (
    "id",
    "text",
    "state",
    "pinned",
    "answer",
    "vote_count",
    "version",
    "author_id",
    "author__display_name",
)


_changes_sql = {}


def _changed_rows(broadcast, cursor):
    """Rows of QUESTION_FIELDS changed after `cursor`, oldest change first.

    The poll is the hottest read of a live broadcast (every viewer, every few seconds), and compiling the ORM
    query cost more than running it, so the SQL is built once per database vendor from the models' metadata.
    It is the same query as Question.objects.filter(broadcast=..., version__gt=...).order_by("version"),
    which the (broadcast, version) index answers (tests/videos/test_live_qa.py checks the plan).
    """
    from django.contrib.auth import get_user_model
    from django.db import connection

    sql = _changes_sql.get(connection.vendor)
    if sql is None:
        quote = connection.ops.quote_name
        question, user = Question._meta, get_user_model()._meta
        q = quote(question.db_table)
        u = quote(user.db_table)
        columns = ", ".join(
            f"{q}.{quote(question.get_field(name).column)}" for name in QUESTION_FIELDS if "__" not in name
        )
        # Only quoted identifiers from the models' metadata are interpolated; values go in as parameters.
        name = quote(user.get_field("display_name").column)
        author = quote(question.get_field("author").column)
        broadcast_column = quote(question.get_field("broadcast").column)
        join = f"LEFT OUTER JOIN {u} ON ({q}.{author} = {u}.{quote(user.pk.column)})"
        where = f"WHERE {q}.{broadcast_column} = %s AND {q}.{quote('version')} > %s"
        order = f"ORDER BY {q}.{quote('version')} ASC LIMIT {CHANGES_PER_POLL}"
        select = f"SELECT {columns}, {u}.{name} FROM {q}"  # noqa: S608 - identifiers only, as said above
        sql = " ".join([select, join, where, order])
        _changes_sql[connection.vendor] = sql
    key = Question._meta.get_field("broadcast").get_db_prep_value(broadcast, connection)
    with connection.cursor() as db:
        db.execute(sql, [key, cursor])
        return [dict(zip(QUESTION_FIELDS, row, strict=True)) for row in db.fetchall()]


def changes(episode, user, cursor):
    """What changed in the episode's Q&A after `cursor`: one query on the (broadcast, version) index.

    Returns {"cursor", "status", "questions": [visible, changed], "removed": [ids no longer shown]}.
    """
    rows = _changed_rows(episode.translation_key, cursor)
    moderator = VideosPolicy.can_moderate(user)
    questions, removed = [], []
    for row in rows:
        visible = row["state"] == Question.State.APPROVED or (
            row["state"] == Question.State.PENDING
            and (moderator or (user.is_authenticated and row["author_id"] == user.pk))
        )
        if visible:
            questions.append(_question_dict(row, user))
        else:
            removed.append(row["id"])
    return {
        "cursor": rows[-1]["version"] if rows else cursor,
        "more": len(rows) == CHANGES_PER_POLL,
        "status": episode.status(),
        "questions": questions,
        "removed": removed,
    }


# --- pages --------------------------------------------------------------------------------------------
def _series_of(episode):
    return (
        SeriesPage.objects.filter(path=episode.path[: -EpisodePage.steplen], depth=episode.depth - 1)
        .select_related("cover_image")
        .first()
    )


def expert_cards(experts, language):
    return [{"expert": e, **e.localized(language)} for e in experts]


def episode_context(page, request):
    from wagtail.documents.models import Document

    from kb.models import ArticlePage
    from kb.policies import KBPolicy

    user = request.user
    language = get_language() or page.locale.language_code
    # Through the page's own relations, so a preview shows the experts, articles and slides being edited.
    experts = list(
        page.experts.select_related("photo").prefetch_related(
            Prefetch("photo__renditions", queryset=Rendition.objects.filter(filter_spec=EXPERT_PHOTO))
        )
    )
    article_pks = page.related_articles.values_list("pk", flat=True)
    articles = list(KBPolicy.visible_articles(user, ArticlePage.objects.filter(pk__in=article_pks)))
    slides = list(Document.objects.filter(pk__in=page.slides.values_list("pk", flat=True)).order_by("title"))
    questions = list(
        VideosPolicy.visible_questions(user, Question.objects.filter(broadcast=page.translation_key))
        .order_by("-pinned", "-vote_count", "id")
        .values(*QUESTION_FIELDS)[:MAX_QUESTIONS]
    )
    voted = frozenset()
    if user.is_authenticated:
        voted = frozenset(
            QuestionVote.objects.filter(user=user, question__broadcast=page.translation_key).values_list(
                "question_id", flat=True
            )
        )
    poster = None
    if page.poster_id:
        from wagtail.images import get_image_model

        poster = get_image_model().objects.prefetch_renditions(POSTER, POSTER_LARGE).filter(pk=page.poster_id).first()
    cursor = LiveState.objects.filter(broadcast=page.translation_key).values_list("version", flat=True).first() or 0
    status = page.status()
    allowed, reason = VideosPolicy.can_ask(user, page)
    series = _series_of(page)
    try:
        start = max(0, int(request.GET.get("t", "0")))
    except (TypeError, ValueError):
        start = 0
    items = [_question_dict(q, user, voted) for q in questions]
    chapters = page.chapter_list()
    context = {
        "series": series,
        "status": status,
        "experts": expert_cards(experts, language),
        "related_articles": articles,
        "slides": slides,
        "questions": items,
        "pending_questions": [q for q in items if q["state"] == Question.State.PENDING],
        "approved_questions": [q for q in items if q["state"] == Question.State.APPROVED],
        "qa_cursor": cursor,
        "can_ask": allowed,
        "ask_refusal": reason,
        "can_moderate": VideosPolicy.can_moderate(user),
        "chapters": chapters,
        "transcript": page.transcript_lines(),
        "start_at": start,
        "video": page.video,
        "poster": poster,
        "tracks": [
            {"language": code, "url": reverse("videos:captions", args=[page.pk, code])}
            for code in page.caption_languages()
        ],
        "duration_minutes": (page.duration_seconds + 59) // 60,
        "poll_ms": settings.PORTAL_VIDEOS_POLL_MS,
        "fallback_from": request.GET.get("from") if request.GET.get("from") in ("zh-hans", "en") else None,
    }
    context["json_ld"] = json_ld(page, request, context)
    return context


def json_ld(page, request, context):
    url = page.full_url or page.get_full_url(request)
    data = {
        "@context": "https://schema.org",
        "@type": "VideoObject",
        "name": page.title,
        "description": page.summary or page.title,
        "inLanguage": page.locale.language_code,
        "url": url,
    }
    if page.air_at:
        data["uploadDate"] = page.air_at.isoformat()
        if context["status"] != EpisodeStatus.REPLAY:
            data["publication"] = {
                "@type": "BroadcastEvent",
                "isLiveBroadcast": True,
                "startDate": page.air_at.isoformat(),
                "endDate": page.ends_at.isoformat(),
            }
    elif page.first_published_at:
        data["uploadDate"] = page.first_published_at.isoformat()
    if page.duration_seconds:
        data["duration"] = f"PT{page.duration_seconds // 60}M{page.duration_seconds % 60}S"
    if context["poster"] is not None:
        data["thumbnailUrl"] = request.build_absolute_uri(context["poster"].get_rendition(POSTER).url)
    if context["video"] is not None:
        data["contentUrl"] = request.build_absolute_uri(context["video"].url)
    elif page.embed_allowed():
        data["embedUrl"] = page.embed_url
    chapters = context["chapters"]
    if chapters:
        data["hasPart"] = []
        for index, chapter in enumerate(chapters):
            end = chapters[index + 1]["start"] if index + 1 < len(chapters) else page.duration_seconds or None
            clip = {
                "@type": "Clip",
                "name": chapter["title"],
                "startOffset": chapter["start"],
                "url": f"{url}?t={chapter['start']}",
            }
            if end:
                clip["endOffset"] = end
            data["hasPart"].append(clip)
    return data


def _episodes(qs):
    return (
        qs.live()
        .public()
        .select_related("poster")
        .prefetch_related(Prefetch("poster__renditions", queryset=Rendition.objects.filter(filter_spec=POSTER)))
    )


def series_context(series, request):
    episodes = list(_episodes(EpisodePage.objects.child_of(series)).order_by("-air_at", "-first_published_at"))
    now = timezone.now()
    upcoming = sorted(
        (e for e in episodes if e.status(now) != EpisodeStatus.REPLAY),
        key=lambda e: (e.status(now) != "live", e.air_at),
    )
    hosts = list(series.hosts.select_related("photo"))
    untranslated = []
    if series.locale.language_code != "zh-hans":
        # Episodes that exist only in another language, listed with a badge (the KB's fallback).
        others = SeriesPage.objects.filter(translation_key=series.translation_key).exclude(pk=series.pk)
        mine = {e.translation_key for e in episodes}
        for other in others:
            for episode in _episodes(EpisodePage.objects.child_of(other)).select_related("locale"):
                if episode.translation_key not in mine:
                    untranslated.append(episode)
    return {
        "episodes": [e for e in episodes if e.status(now) == EpisodeStatus.REPLAY],
        "upcoming": upcoming,
        "next_broadcast": upcoming[0] if upcoming else None,
        "hosts": expert_cards(hosts, get_language()),
        "untranslated": untranslated,
        "now": now,
    }


def index_context(index, request):
    series = list(
        SeriesPage.objects.child_of(index)
        .live()
        .public()
        .select_related("cover_image")
        .prefetch_related(Prefetch("cover_image__renditions", queryset=Rendition.objects.filter(filter_spec=COVER)))
        .order_by("path")
    )
    return {"series_list": series, "next_broadcast": next_broadcast(index.locale_id)}


def upcoming_episodes(locale_id, series=None, now=None, limit=50):
    """Live and scheduled episodes in one language, soonest first (one query)."""
    now = now or timezone.now()
    qs = EpisodePage.objects.live().public().filter(locale_id=locale_id)
    if series is not None:
        qs = qs.child_of(series)
    qs = qs.filter(Q(on_air=True) | Q(air_at__gte=now - dt.timedelta(hours=12)))
    episodes = [e for e in qs.order_by("air_at")[: limit * 2] if e.status(now) != EpisodeStatus.REPLAY]
    episodes.sort(key=lambda e: (e.status(now) != EpisodeStatus.LIVE, e.air_at or now))
    return episodes[:limit]


def next_broadcast(locale_id, now=None):
    episodes = upcoming_episodes(locale_id, now=now, limit=1)
    return episodes[0] if episodes else None


def calendar_context(index, request):
    now = timezone.now()
    episodes = upcoming_episodes(index.locale_id, now=now)
    days = {}
    for episode in episodes:
        day = timezone.localtime(episode.air_at).date() if episode.air_at else timezone.localdate()
        days.setdefault(day, []).append(episode)
    return {"calendar_days": sorted(days.items()), "now": now}


def translation_fallback(index, path_components):
    """The episode at this path in another language, when this language has none (else None)."""
    if len(path_components) != 2:
        return None
    from videos.models import VideoIndexPage

    relative = "/".join(path_components) + "/"
    roots = VideoIndexPage.objects.filter(translation_key=index.translation_key).exclude(pk=index.pk)
    candidates = [root + relative for root in roots.values_list("url_path", flat=True)]
    if not candidates:
        return None
    return EpisodePage.objects.live().public().filter(url_path__in=candidates).order_by("locale_id").first()
