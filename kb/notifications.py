"""E-mail from the knowledge base: readers' comments go to the owner of the article, in the owner's language.

Plain-text mail only: a comment is whatever a stranger typed, so it is never rendered as HTML anywhere.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kb.models import ArticleFeedback
from portal.core.mail import queue_mail

logger = logging.getLogger(__name__)


def _one_line(text, limit=120):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def send_feedback_comment(feedback_id):
    """Mail one reader comment to the article's owner, once. Returns True when the mail was queued (its task
    delivers it, retrying while the relay is down: portal/core/mail.py)."""
    with transaction.atomic():
        feedback = (
            ArticleFeedback.objects.select_for_update(of=("self",))  # PostgreSQL: not the nullable joins
            .select_related("article", "article__article_owner", "article__locale")
            .filter(pk=feedback_id, owner_notified_at__isnull=True)
            .first()
        )
        if feedback is None or not feedback.comment:
            return False
        article = feedback.article
        owner = article.article_owner
        if owner is None or not owner.email or not owner.is_active:
            return False
        language = getattr(owner, "preferred_language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            subject = _("Reader comment on “%(title)s”") % {"title": _one_line(article.title)}
            verdict = _("Helpful") if feedback.helpful else _("Not helpful")
            edit_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
                "wagtailadmin_pages:edit", args=[article.pk]
            )
            body = "\n".join(
                [
                    _("A reader left a comment on an article you own."),
                    "",
                    _("Article: %(title)s") % {"title": article.title},
                    _("Language: %(language)s") % {"language": article.locale.language_code},
                    _("Vote: %(verdict)s") % {"verdict": verdict},
                    "",
                    _("Comment:"),
                    feedback.comment,
                    "",
                    _("Edit the article: %(url)s") % {"url": edit_url},
                ]
            )
        queue_mail(
            f"kb.feedback:{feedback.pk}", EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [owner.email])
        )
        feedback.owner_notified_at = timezone.now()
        feedback.save(update_fields=["owner_notified_at"])
    return True


def send_review_reminders(today=None):
    """E-mail each article owner, in their language, the articles past or within
    PORTAL_KB_REVIEW_REMIND_DAYS of their review date. Returns the number of mails sent.

    The scheduler runs it weekly; it keeps no state: the list simply shrinks as owners review (and move
    `review_by` on), so a week in which nothing was reviewed brings the same reminder again.
    """
    from datetime import timedelta

    from django.contrib.auth import get_user_model

    from kb.models import ArticlePage

    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.PORTAL_KB_REVIEW_REMIND_DAYS)
    due = (
        ArticlePage.objects.filter(review_by__lte=horizon, article_owner__isnull=False)
        .select_related("locale")
        .only("pk", "title", "review_by", "article_owner_id", "locale__language_code")
        .order_by("review_by", "title")
    )
    by_owner = {}
    for article in due:
        by_owner.setdefault(article.article_owner_id, []).append(article)
    owners = get_user_model().objects.filter(pk__in=by_owner, is_active=True).exclude(email="").order_by("pk")
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    sent = 0
    for owner in owners:
        articles = by_owner[owner.pk]
        language = getattr(owner, "preferred_language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            overdue = sum(1 for article in articles if article.review_by < today)
            subject = _("%(count)d knowledge-base articles to review") % {"count": len(articles)}
            lines = [
                _("These articles you own are due for review (%(overdue)d already past their date):")
                % {"overdue": overdue},
                "",
            ]
            for article in articles:
                lines.append(
                    _("%(date)s  %(title)s (%(language)s)")
                    % {
                        "date": article.review_by.isoformat(),
                        "title": _one_line(article.title),
                        "language": article.locale.language_code,
                    }
                )
                lines.append("    " + base + reverse("wagtailadmin_pages:edit", args=[article.pk]))
            lines += ["", _("Review each answer, then set a new “review by” date under Ownership.")]
        queue_mail(
            f"kb.review:{owner.pk}:{today.isoformat()}",
            EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [owner.email]),
        )
        sent += 1
    logger.info("kb: review reminders sent to %d owners", sent)
    return sent
