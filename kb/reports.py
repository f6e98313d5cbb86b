"""Wagtail admin reports of the knowledge base: articles that need review (past their review date, or with
poor feedback: at least PORTAL_KB_REVIEW_MIN_VOTES votes and less than PORTAL_KB_REVIEW_HELPFUL_BELOW_PERCENT
helpful), ordered and filterable by owner, and readers' comments with their votes. For editors and KB
reviewers (KBPolicy.can_see_feedback); both export to CSV/XLSX like Wagtail's own reports.
"""

import django_filters
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from kb import queries
from kb.models import ArticleFeedback, ArticlePage
from kb.policies import KBPolicy

REASONS = [("past_review", _("Past review date")), ("poor", _("Poor feedback"))]


def _owners(request=None):
    return get_user_model().objects.filter(pk__in=queries.article_owner_ids()).order_by("display_name", "email")


class NeedsReviewFilterSet(WagtailFilterSet):
    article_owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), empty_label=_("Anyone"), queryset=_owners, field_name="article_owner"
    )
    reason = django_filters.ChoiceFilter(
        label=_("Reason"), choices=REASONS, method="filter_reason", empty_label=_("Any")
    )
    locale = django_filters.ChoiceFilter(
        label=_("Language"), choices=settings.LANGUAGES, field_name="locale__language_code", empty_label=_("Any")
    )

    class Meta:
        model = ArticlePage
        fields = ["article_owner", "reason", "locale"]

    def filter_reason(self, queryset, name, value):
        return queryset.filter(**{value: True}) if value in dict(REASONS) else queryset


def _reasons(article):
    labels = dict(REASONS)
    return ", ".join(str(labels[name]) for name in ("past_review", "poor") if getattr(article, name, False))


def _helpful(article):
    stats = getattr(article, "stats", None)
    if stats is None or not stats.votes:
        return "—"
    return f"{stats.helpful_percent}% ({stats.helpful_count}/{stats.votes})"


def _owner_name(article):
    owner = article.article_owner
    return (owner.display_name or owner.email) if owner else _("Nobody")


class FeedbackPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not KBPolicy.can_see_feedback(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class NeedsReviewView(FeedbackPermissionMixin, ReportView):
    page_title = _("KB articles needing review")
    header_icon = "warning"
    index_url_name = "kb_needs_review"
    index_results_url_name = "kb_needs_review_results"
    filterset_class = NeedsReviewFilterSet
    paginate_by = 100
    columns = [
        TitleColumn("title", label=_("Question"), url_name="wagtailadmin_pages:edit"),
        Column("owner", label=_("Owner"), accessor=_owner_name),
        Column("language", label=_("Language"), accessor=lambda a: a.locale.language_code),
        DateColumn("review_by", label=_("Review by")),
        Column("helpful", label=_("Helpful"), accessor=_helpful),
        Column(
            "used", label=_("Used on calls"), accessor=lambda a: a.stats.used_count if getattr(a, "stats", None) else 0
        ),
        Column("reasons", label=_("Why it is listed"), accessor=_reasons),
    ]
    list_export = ["title", "owner", "language", "review_by", "helpful", "used", "reasons"]
    export_headings = {
        "title": _("Question"),
        "owner": _("Owner"),
        "language": _("Language"),
        "review_by": _("Review by"),
        "helpful": _("Helpful"),
        "used": _("Used on calls"),
        "reasons": _("Why it is listed"),
    }

    def get_queryset(self):
        return queries.needs_review(
            timezone.localdate(),
            settings.PORTAL_KB_REVIEW_MIN_VOTES,
            settings.PORTAL_KB_REVIEW_HELPFUL_BELOW_PERCENT,
        )

    def to_row_dict(self, item):
        return {
            "title": item.title,
            "owner": _owner_name(item),
            "language": item.locale.language_code,
            "review_by": item.review_by,
            "helpful": _helpful(item),
            "used": item.stats.used_count if getattr(item, "stats", None) else 0,
            "reasons": _reasons(item),
        }

    def get_filename(self):
        return f"kb-needs-review-{timezone.localdate():%Y-%m-%d}"


class FeedbackFilterSet(WagtailFilterSet):
    helpful = django_filters.BooleanFilter(label=_("Helpful"))
    with_comment = django_filters.BooleanFilter(label=_("With a comment"), method="filter_comment")
    article__article_owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), empty_label=_("Anyone"), queryset=_owners
    )

    class Meta:
        model = ArticleFeedback
        fields = ["helpful", "with_comment", "article__article_owner"]

    def filter_comment(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(comment="") if value else queryset.filter(comment="")


class FeedbackView(FeedbackPermissionMixin, ReportView):
    page_title = _("KB reader feedback")
    header_icon = "comment"
    index_url_name = "kb_feedback"
    index_results_url_name = "kb_feedback_results"
    filterset_class = FeedbackFilterSet
    paginate_by = 100
    columns = [
        TitleColumn(
            "article",
            label=_("Article"),
            accessor=lambda f: f.article.title,
            get_url=lambda f: reverse("wagtailadmin_pages:edit", args=[f.article_id]),
        ),
        Column("helpful", label=_("Helpful"), accessor=lambda f: _("Helpful") if f.helpful else _("Not helpful")),
        Column("comment", label=_("Comment")),
        Column("language", label=_("Language")),
        DateColumn("created_at", label=_("Date")),
    ]
    list_export = ["article", "helpful", "comment", "language", "created_at"]

    def get_queryset(self):
        return ArticleFeedback.objects.select_related("article", "article__locale").order_by("-created_at")

    def to_row_dict(self, item):
        return {
            "article": item.article.title,
            "helpful": item.helpful,
            "comment": item.comment,
            "language": item.language,
            "created_at": item.created_at,
        }
