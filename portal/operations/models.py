"""Targets the operations manager sets per metric and team; the dashboard and reports draw them against actuals."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Metric(models.TextChoices):
    NEW_ITEMS = "new", _("New items")
    FRT_MEDIAN = "frt_median_hours", _("First response, median (hours)")
    FRT_P90 = "frt_p90_hours", _("First response, 90th percentile (hours)")
    FRT_BUSINESS_MEDIAN = "frt_business_median_hours", _("First response in business hours, median (hours)")
    RESOLUTION_MEDIAN = "resolution_median_hours", _("Resolution, median (hours)")
    SLA_MET = "sla_met_pct", _("SLA met (%)")
    REOPEN = "reopen_pct", _("Reopen rate (%)")
    SATISFACTION = "satisfaction_pct", _("Satisfaction (%)")
    RATING_RESPONSE = "rating_response_pct", _("Rating response rate (%)")
    KB_HELPFUL = "kb_helpful_pct", _("KB helpful (%)")
    SEARCH_ZERO = "search_zero_pct", _("Searches without results (%)")
    SEARCH_CLICK = "search_click_pct", _("Search click-through (%)")


# Metrics where a smaller actual is better: a target is met when the actual is at or below it.
LOWER_IS_BETTER = frozenset(
    {
        Metric.FRT_MEDIAN,
        Metric.FRT_P90,
        Metric.FRT_BUSINESS_MEDIAN,
        Metric.RESOLUTION_MEDIAN,
        Metric.REOPEN,
        Metric.SEARCH_ZERO,
    }
)


class Target(models.Model):
    metric = models.CharField(_("metric"), max_length=40, choices=Metric.choices)
    # "" = the whole centre; a channel key ("forum"); or channel and group ("forum:12" = board 12).
    team = models.CharField(_("team"), max_length=60, blank=True)
    value = models.FloatField(_("target"))
    updated_at = models.DateTimeField(default=timezone.now)
    # Nullable: the account may be deleted; the target stays.
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [models.UniqueConstraint(fields=["metric", "team"], name="operations_target_unique")]

    def __str__(self):
        return f"{self.get_metric_display()} {self.team or '*'}: {self.value:g}"

    @property
    def lower_is_better(self):
        return self.metric in LOWER_IS_BETTER

    def is_met(self, actual):
        if actual is None:
            return None
        return actual <= self.value if self.lower_is_better else actual >= self.value


class TargetChange(models.Model):
    """The audit log of targets: who set or removed which target, from what to what."""

    metric = models.CharField(max_length=40, choices=Metric.choices)
    team = models.CharField(max_length=60, blank=True)
    # Nullable: null before the first target, or after a removal.
    old_value = models.FloatField(null=True, blank=True)
    new_value = models.FloatField(null=True, blank=True)
    # Nullable: commands and the demo act without an account; a deleted account's entries stay.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.metric} {self.team or '*'}: {self.old_value} -> {self.new_value}"


class SentReport(models.Model):
    """One scheduled report that went out: claimed before sending, so a re-run of the job mails nobody twice."""

    class Kind(models.TextChoices):
        DAY = "day", _("Day")
        WEEK = "week", _("Week")
        MONTH = "month", _("Month")

    kind = models.CharField(max_length=5, choices=Kind.choices)
    first_day = models.DateField()  # local first day of the period it covers
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-first_day", "kind"]
        constraints = [models.UniqueConstraint(fields=["kind", "first_day"], name="operations_sentreport_unique")]

    def __str__(self):
        return f"{self.kind} {self.first_day}"


class SearchDay(models.Model):
    """The search log of one closed local day, counted once (the dashboard's week and month trends read these
    instead of a year of raw rows). Filled each night by `summarise_search_days` (which also recounts the day
    before, for clicks that came after midnight) and backfilled on demand for any closed day without a row;
    today is always counted live."""

    day = models.DateField(unique=True)  # local date in PORTAL_OPERATIONS_TIME_ZONE
    searches = models.PositiveIntegerField(default=0)
    zero = models.PositiveIntegerField(default=0)  # searches that found nothing
    clicked = models.PositiveIntegerField(default=0)  # searches with at least one result opened
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day"]

    def __str__(self):
        return f"{self.day}: {self.searches}"
