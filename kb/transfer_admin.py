"""The admin's "Import and export articles" screen for KB editors and reviewers.

Upload a file -> its dry-run report (every rejected line with its number and why, every warning) -> import
(reviewers only: an import publishes at once) with a progress bar -> the import's report. Export downloads
every live article in the same format. The work is `kb.actions` (`upload_article_import`,
`start_article_import`, and `import_articles` behind them) and `kb.queries.export_rows` with
`kb.transfer.write_rows`: exactly what `kb_import` and `kb_export` run.

While a file is being checked or imported the page reloads itself every two seconds (a meta refresh: no
script needed) and shows how far it got.
"""

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from kb import actions, transfer
from kb.forms import ExportForm, ImportUploadForm
from kb.models import ArticleImport
from kb.policies import KBPolicy
from kb.queries import export_rows


def access_import(request, import_id):
    job = get_object_or_404(ArticleImport.objects.select_related("user"), pk=import_id)
    if not KBPolicy.can_see_import(request.user, job):
        raise PermissionDenied
    return job


class TransferPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not KBPolicy.can_transfer(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class TransferView(TransferPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = gettext_lazy("Import and export articles")
    header_icon = "download"
    template_name = "kb/admin/transfer.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("upload_form", ImportUploadForm())
        context["export_form"] = ExportForm()
        context["recent"] = ArticleImport.objects.select_related("user").defer("source")[:10]
        context["can_import"] = KBPolicy.can_import(self.request.user)
        return context

    def post(self, request, *args, **kwargs):
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = actions.upload_article_import(
                    request.user,
                    file_name=upload.name,
                    data=upload.read(),
                    file_format=form.cleaned_data["file_format"] or None,
                    language=get_language() or "",
                )
            except actions.ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                return redirect("kb_import_detail", job.pk)
        return self.render_to_response(self.get_context_data(upload_form=form), status=400)


def _issues(rows):
    return [{"line": line, "message": message} for line, message in rows or []]


class ImportDetailView(TransferPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = gettext_lazy("Import and export articles")
    header_icon = "download"
    template_name = "kb/admin/import_detail.html"

    def get_page_subtitle(self):
        return self.job.file_name

    def dispatch(self, request, *args, **kwargs):
        self.job = access_import(request, kwargs["import_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.job
        report = job.import_report if job.status == ArticleImport.Status.DONE else job.check_report
        context.update(
            job=job,
            report=report,
            errors=_issues((report or {}).get("errors")),
            warnings=_issues((report or {}).get("warnings")),
            can_import=KBPolicy.can_import(self.request.user) and job.status == ArticleImport.Status.CHECKED,
            rows_ok=sum((report or {}).get(key, 0) for key in ("created", "updated", "unchanged")),
            transfer_url=reverse("kb_transfer"),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not KBPolicy.can_import(request.user):
            raise PermissionDenied
        try:
            actions.start_article_import(request.user, self.job)
        except actions.ImportFileError as exc:
            messages.error(request, str(exc))
        return redirect("kb_import_detail", self.job.pk)


def _written(rows, fmt, header):
    out = io.StringIO()
    transfer.write_rows(out, rows, fmt, header=header)
    return out.getvalue()


def export_view(request):
    if not KBPolicy.can_transfer(request.user):
        raise PermissionDenied
    form = ExportForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose a format and a language for the export."))
        return redirect("kb_transfer")
    fmt, locale = form.cleaned_data["file_format"], form.cleaned_data["locale"] or None
    rows = export_rows(locale=locale)

    def stream():
        # A BOM first, so that Excel opens the CSV as UTF-8 (the import skips it).
        yield "\ufeff" if fmt == "csv" else ""
        chunk, header = [], True
        for row in rows:
            chunk.append(row)
            if len(chunk) == 200:  # hand the file on in pieces instead of building it whole
                yield _written(chunk, fmt, header)
                chunk, header = [], False
        if chunk or header:
            yield _written(chunk, fmt, header)

    name = f"kb-articles-{locale or 'all'}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson; charset=utf-8"
    response = StreamingHttpResponse(stream(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
