"""An import of KB articles started in the admin: the uploaded file, its dry-run report, then the import's
progress and report. The same `kb.actions.import_articles` as `manage.py kb_import` does the work, in a
background task, so a large file never holds a request."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ArticleImport(models.Model):
    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        QUEUED = "queued", _("Waiting to import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    # Null once the account is deleted: the record of the import stays.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Who started the import (the revisions are theirs); null until then, or once the account is deleted.
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10)
    language = models.CharField(max_length=10)  # the uploader's, for the messages of the reports
    source = models.TextField()  # the uploaded text, decoded
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CHECKING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)  # of the import (a dry run reports only at its end)
    # {"created", "updated", "unchanged", "errors": [[line, message]], "warnings": [...]}; null until it ran.
    check_report = models.JSONField(null=True, blank=True)
    import_report = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)  # what stopped a failed run
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)  # null until the import (not the check) starts
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("article import")
        verbose_name_plural = _("article imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def running(self):
        return self.status in (self.Status.CHECKING, self.Status.QUEUED, self.Status.IMPORTING)

    @property
    def percent(self):
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
