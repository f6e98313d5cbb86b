"""Search in the Wagtail admin: synonyms and dictionary words (snippets staff edit), and the search report.

Synonym and dictionary changes apply without a rebuild: saving one bumps a configuration version that
every process checks within seconds (search.analysis). New dictionary words change how *new* texts are
segmented; `manage.py search_rebuild` re-segments existing documents (bigrams find them meanwhile). A
variant form (帐 = 账) changes the tokens of documents as well as queries: saving one re-indexes, through
the outbox, the documents that contain either form.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from search import reports
from search.models import DictionaryWord, IndexOutbox, SynonymGroup, VariantForm
from search.policies import SearchPolicy


class SynonymViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "list-ul"
    menu_label = _("Synonyms")
    list_display = ["__str__", "note", "enabled", "updated_at"]
    list_filter = ["enabled"]
    search_fields = ["terms", "note"]


class DictionaryViewSet(SnippetViewSet):
    model = DictionaryWord
    icon = "doc-full"
    menu_label = _("Dictionary words")
    list_display = ["word", "note", "updated_at"]
    search_fields = ["word", "note"]


class VariantViewSet(SnippetViewSet):
    model = VariantForm
    icon = "resubmit"
    menu_label = _("Variant forms")
    list_display = ["variant", "standard", "note", "enabled", "updated_at"]
    list_filter = ["enabled"]
    search_fields = ["variant", "standard", "note"]


class SearchSettingsGroup(SnippetViewSetGroup):
    items = (SynonymViewSet, DictionaryViewSet, VariantViewSet)
    menu_icon = "search"
    menu_label = _("Search")
    menu_name = "search-settings"
    menu_order = 460


register_snippet(SearchSettingsGroup)


def report_view(request):
    if not SearchPolicy.can_view_reports(request.user):
        raise PermissionDenied
    period = request.GET.get("period", "day")
    report = reports.build(period)
    return render(
        request,
        "search/admin/report.html",
        {
            "report": report,
            "periods": [("day", _("Daily")), ("week", _("Weekly")), ("month", _("Monthly"))],
            "outbox": IndexOutbox.objects.count(),
        },
    )


@hooks.register("register_admin_urls")
def register_report_url():
    return [path("search-report/", report_view, name="portal_search_report")]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return SearchPolicy.can_view_reports(request.user)


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return ReportMenuItem(_("Search"), reverse("portal_search_report"), icon_name="search", order=900)
