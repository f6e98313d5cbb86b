"""The operations dashboard in the Wagtail admin: the page, its live panel (JSON), CSV exports, drill-downs
and the target form. Thin: parse, authorise through OperationsPolicy, ask queries.py, render."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.operations import actions, periods, queries, sources
from portal.operations.forms import TargetForm
from portal.operations.models import Target
from portal.operations.policies import OperationsPolicy


def _require(request):
    if not OperationsPolicy.can_view(request.user):
        raise PermissionDenied


def _period(request):
    kind = request.GET.get("period", "day")
    kind = kind if kind in periods.KINDS else "day"
    try:
        day = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = periods.local_today()
    return periods.Period.containing(kind, day)


def dashboard(request):
    _require(request)
    period = _period(request)
    board = queries.dashboard(period)
    export = request.GET.get("export")
    if export:
        table = board.table(export)
        if table is None:
            raise Http404
        response = HttpResponse(table.csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="operations-{table.key}-{period.label}.csv"'
        return response
    return render(
        request,
        "operations/dashboard.html",
        {
            "period": period,
            "previous": period.previous(),
            "following": period.following(),
            "kinds": periods.KINDS.items(),
            "now_rows": queries.now_panel(),
            "summary": board.tables[0],
            "tables": board.tables[1:],
            "refresh_seconds": settings.PORTAL_OPERATIONS_REFRESH_SECONDS,
            "target_form": TargetForm(),
            "targets": Target.objects.order_by("metric", "team"),
        },
    )


def now(request):
    _require(request)
    return JsonResponse(queries.now_json())


def items(request):
    _require(request)
    channel = sources.get(request.GET.get("channel", ""))
    which = request.GET.get("filter", "new")
    if channel is None or (which not in queries.DRILL_FILTERS and which != "missed"):
        raise Http404
    period = _period(request)
    group, staff = request.GET.get("group") or None, request.GET.get("staff") or None
    if group is not None:
        group = channel.parse_group(group)
        if group is None:
            raise Http404
    if staff is not None and not staff.isdigit():
        raise Http404
    rows, total = queries.drill_items(channel, period, which, group=group, staff=staff and int(staff))
    return render(
        request,
        "operations/items.html",
        {"channel": channel, "period": period, "rows": rows, "total": total, "which": which},
    )


@require_POST
def set_target(request):
    _require(request)
    if not OperationsPolicy.can_set_targets(request.user):
        raise PermissionDenied
    form = TargetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The target was not saved: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect("operations_dashboard")
    try:
        actions.set_target(
            request.user, form.cleaned_data["metric"], form.cleaned_data["team"], form.cleaned_data["value"]
        )
    except actions.ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Target saved."))
    return redirect("operations_dashboard")
