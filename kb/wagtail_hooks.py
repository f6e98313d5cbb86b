"""Wagtail admin integration of the knowledge base: the "needs review" and "reader feedback" reports."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from kb import reports, transfer_admin
from kb.policies import KBPolicy


class FeedbackMenuItem(MenuItem):
    def is_shown(self, request):
        return KBPolicy.can_see_feedback(request.user)


class TransferMenuItem(MenuItem):
    def is_shown(self, request):
        return KBPolicy.can_transfer(request.user)


@hooks.register("register_admin_menu_item")
def register_transfer_menu_item():
    return TransferMenuItem(
        _("Import and export articles"), reverse("kb_transfer"), name="kb-transfer", icon_name="download", order=350
    )


@hooks.register("register_admin_urls")
def register_kb_report_urls():
    return [
        path("reports/kb-needs-review/", reports.NeedsReviewView.as_view(), name="kb_needs_review"),
        path(
            "reports/kb-needs-review/results/",
            reports.NeedsReviewView.as_view(results_only=True),
            name="kb_needs_review_results",
        ),
        path("reports/kb-feedback/", reports.FeedbackView.as_view(), name="kb_feedback"),
        path("kb/transfer/", transfer_admin.TransferView.as_view(), name="kb_transfer"),
        path("kb/transfer/export/", transfer_admin.export_view, name="kb_export"),
        path("kb/transfer/<int:import_id>/", transfer_admin.ImportDetailView.as_view(), name="kb_import_detail"),
        path(
            "reports/kb-feedback/results/", reports.FeedbackView.as_view(results_only=True), name="kb_feedback_results"
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_needs_review_menu_item():
    return FeedbackMenuItem(
        _("KB articles needing review"),
        reverse("kb_needs_review"),
        name="kb-needs-review",
        icon_name="warning",
        order=150,
    )


@hooks.register("register_reports_menu_item")
def register_feedback_menu_item():
    return FeedbackMenuItem(
        _("KB reader feedback"), reverse("kb_feedback"), name="kb-feedback", icon_name="comment", order=151
    )
