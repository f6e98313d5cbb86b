"""The intake queue: messages from the web form, SMS and logged calls, their conversation, ratings, deflections.

A `Message` is what a customer left (inquiry, suggestion, complaint, praise) on one channel; its `Entry` rows
are the conversation (the customer's text and additions, staff replies, internal notes). Everything is
written by `portal.intake.actions`; who sees what is `portal.intake.policies.IntakePolicy`. Texts are stored
exactly as typed and escaped when shown; card, ID and phone numbers are masked in lists and notifications.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.private_media import private_storage


class Kind(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")
    SUGGESTION = "suggestion", _("Suggestion")
    COMPLAINT = "complaint", _("Complaint")
    PRAISE = "praise", _("Praise")


class Category(models.TextChoices):
    PERSONAL_FINANCE = "personal_finance", _("Personal finance")
    CREDIT = "credit", _("Credit")
    BANK_CARDS = "bank_cards", _("Bank cards")
    EBANKING = "ebanking", _("E-banking")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    WEB = "web", _("Website")
    SMS = "sms", _("SMS")
    PHONE = "phone", _("Phone call")


class Status(models.TextChoices):
    NEW = "new", pgettext_lazy("message status", "New")
    ASSIGNED = "assigned", _("Assigned")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    VIP = "vip", _("VIP")


OPEN_STATUSES = (Status.NEW, Status.ASSIGNED)


class Message(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    # The private tracking link's secret (not the id, not the reference): only the author holds it.
    tracking_token = models.CharField(max_length=64, unique=True)
    # The random key of the form that created it: a double submit finds the message instead of making another.
    # Nullable: SMS and phone messages have no form.
    submit_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INQUIRY)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.WEB)
    subject = models.CharField(_("subject"), max_length=200)
    name = models.CharField(_("name"), max_length=80, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)  # E.164, e.g. +8613812345678
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default="zh-hans")
    # Nullable: most customers write without an account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="intake_messages"
    )
    # Nullable: the picture is optional; its file name is random (portal images). Private storage: served only
    # by the views that check access (the tracking link, the desk), never from /media/.
    picture = models.ImageField(_("picture"), upload_to="intake/%Y/%m/", storage=private_storage, blank=True, null=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    # Nullable: nobody has claimed a new message.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sla_due_at = models.DateTimeField(_("answer due"))
    # Nullable until it happens.
    first_response_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set when a "dissatisfied" rating reopened it: it waits in the supervisors' queue until one acts.
    needs_supervisor = models.BooleanField(default=False)
    forum_consent = models.BooleanField(default=False)  # the customer allows an anonymised public forum thread
    consent_at = models.DateTimeField(null=True, blank=True)  # privacy notice accepted (web form)
    # Nullable: set when merged as a duplicate into another message.
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged")
    # Phone channel: the KB article used on the call (a Wagtail page id; nullable, most calls have none).
    kb_article_id = models.IntegerField(null=True, blank=True)
    resolved_on_call = models.BooleanField(default=False)
    # Hand-offs: the KB draft and forum thread made from this message (ids, nullable until made).
    kb_draft_id = models.IntegerField(null=True, blank=True)
    forum_thread_id = models.IntegerField(null=True, blank=True)
    # When the duty digest last mentioned it (new complaint / SLA breach), so each is alerted once.
    alerted_new_at = models.DateTimeField(null=True, blank=True)
    alerted_breach_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at"]
        permissions = [
            ("work_messages", _("Can work the message desk queue")),
            ("supervise_messages", _("Can supervise the message desk")),
            ("set_vip", _("Can mark customers as VIP")),
        ]
        indexes = [
            models.Index(fields=["status", "sla_due_at", "id"], name="intake_msg_queue"),
            models.Index(fields=["sla_due_at", "id"], name="intake_msg_due"),
            # VIP messages are few (2% in bench_intake): without this the VIP filter walks the whole due-time
            # index to fill a page (20 ms at 100,000 messages on PostgreSQL instead of 0.1 ms).
            models.Index(fields=["sla_due_at", "id"], name="intake_msg_vip_due", condition=models.Q(priority="vip")),
            models.Index(fields=["phone", "status"], name="intake_msg_phone"),
            models.Index(fields=["email", "status"], name="intake_msg_email"),
            models.Index(fields=["assignee", "status"], name="intake_msg_assignee"),
            # The operations dashboard counts each channel's messages by when they came in (a day, week or month,
            # and the trend before it): without this every one of its ~60 intake queries read all 100,000 rows.
            models.Index(fields=["channel", "created_at"], name="intake_msg_channel_opened"),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def is_vip(self):
        return self.priority == Priority.VIP

    def sla_state(self, now=None):
        """'met', 'breached' (late and still open, or answered late), 'due_soon' (within 2 hours), 'on_track'."""
        now = now or timezone.now()
        if self.first_response_at:
            return "met" if self.first_response_at <= self.sla_due_at else "breached"
        if self.status == Status.CLOSED:
            return "met"
        if self.sla_due_at <= now:
            return "breached"
        if (self.sla_due_at - now).total_seconds() <= 7200:
            return "due_soon"
        return "on_track"

    def contact_display(self):
        from portal.intake.privacy import mask_contact

        return mask_contact(self)


class Entry(models.Model):
    class Kind(models.TextChoices):
        CUSTOMER = "customer", _("Customer")
        REPLY = "reply", _("Reply")
        NOTE = "note", _("Internal note")
        SYSTEM = "system", _("System")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Nullable: the customer without an account, and system entries, have no author.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("conversation entry")
        verbose_name_plural = _("conversation entries")

    def __str__(self):
        return f"{self.message_id}:{self.kind}"


class Rating(models.Model):
    class Score(models.TextChoices):
        VERY_SATISFIED = "very_satisfied", _("Very satisfied")
        SATISFIED = "satisfied", _("Satisfied")
        NEUTRAL = "neutral", _("Neutral")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    reply = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="rating")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="ratings")
    score = models.CharField(_("rating"), max_length=16, choices=Score.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self):
        return self.score


class CannedResponse(models.Model):
    """A reply text staff pick from and edit before sending (a snippet, one per language)."""

    title = models.CharField(_("title"), max_length=120)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, blank=True)
    body = models.TextField(_("text"))

    class Meta:
        ordering = ["language", "title"]
        verbose_name = _("canned response")
        verbose_name_plural = _("canned responses")

    def __str__(self):
        return self.title


class Deflection(models.Model):
    """A customer found the answer before asking: no message was created. Operations counts these."""

    query = models.CharField(max_length=200)  # masked with the core's masking before it is stored
    url = models.CharField(max_length=500)
    title = models.CharField(max_length=255, blank=True)
    result_kind = models.CharField(max_length=20, blank=True)  # kb / forum
    language = models.CharField(max_length=10, default="zh-hans")
    source = models.CharField(max_length=10, default="js")  # js (as-you-type) or preview (no-JS step)
    # Nullable: most customers are not signed in.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("deflection")
        verbose_name_plural = _("deflections")

    def __str__(self):
        return self.url


class InboundSms(models.Model):
    """Every accepted webhook call; the unique signature refuses a replay atomically."""

    signature = models.CharField(max_length=64, unique=True)
    sender = models.CharField(max_length=20)
    text = models.TextField()
    # Nullable: a text without the LTK keyword makes no message.
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("inbound SMS")
        verbose_name_plural = _("inbound SMS")

    def __str__(self):
        return self.sender


class AuditEntry(models.Model):
    # Nullable: the customer, the SMS webhook and the retention command act without a staff account.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=30)
    # Nullable: kept when the message is anonymised or deleted; target_repr stays readable.
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit")
    target_repr = models.CharField(max_length=255)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message desk audit entry")
        verbose_name_plural = _("message desk audit entries")

    def __str__(self):
        return f"{self.action} {self.target_repr}"
