"""Forms of the message board (customers) and the message desk (staff). They parse and validate; actions write."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.intake import phones
from portal.intake.models import CannedResponse, Category, Channel, Kind, Priority, Rating, Status

MAX = 5000  # characters of one text (the default of PORTAL_INTAKE_MAX_CHARS)


class MessageForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is it about?"), choices=Kind.choices, initial=Kind.INQUIRY)
    category = forms.ChoiceField(label=_("Topic"), choices=Category.choices, initial=Category.OTHER)
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-deflect": "subject"}),
        help_text=_("A few words: we show answers that may already help while you type."),
    )
    body = forms.CharField(label=_("Your message"), max_length=MAX, widget=forms.Textarea(attrs={"rows": 6}))
    name = forms.CharField(label=_("Your name"), max_length=80)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("Give an e-mail address or a mobile number (or both) so we can answer you."),
    )
    picture = forms.ImageField(
        label=_("Picture (optional)"),
        required=False,
        help_text=_("A screenshot of an error message helps. JPEG, PNG, GIF or WebP, 5 MB at most."),
    )
    forum_consent = forms.BooleanField(
        label=_("You may publish my question and your answer in the forum, without my name or contact details."),
        required=False,
    )
    consent = forms.BooleanField(
        label=_("I have read the privacy notice: my message is used only to answer me and kept for at most a year."),
        error_messages={"required": _("Please accept the privacy notice so we may use your message to answer you.")},
    )
    # A field people never see: bots fill it (instead of a CAPTCHA).
    homepage_url = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    # Random per form page; a missing one (a stripped field) only loses the double-submit guard.
    submit_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    # The picture is validated by the core's image handling in clean_picture; the file widget accepts any file
    # so that the message we show is ours, not the browser's.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["picture"] = forms.FileField(
            label=self.fields["picture"].label, required=False, help_text=self.fields["picture"].help_text
        )
        self.fields["picture"].widget.attrs["accept"] = "image/jpeg,image/png,image/gif,image/webp"

    def clean_phone(self):
        return phones.normalise_mobile(self.cleaned_data.get("phone", ""))

    def clean_picture(self):
        upload = self.cleaned_data.get("picture")
        if upload:
            from portal.intake.actions import validate_picture

            validate_picture(upload)
        return upload

    def clean(self):
        data = super().clean()
        if data.get("homepage_url"):
            raise ValidationError(_("Your message could not be sent."), code="honeypot")
        if (
            not data.get("email")
            and not data.get("phone")
            and "email" not in self.errors
            and "phone" not in self.errors
        ):
            self.add_error("email", _("Please give an e-mail address or a mobile number."))
        return data

    def visible(self):
        return [self[name] for name in self.fields if name not in ("homepage_url", "submit_key", "consent")]


class LookupForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"), max_length=20, widget=forms.TextInput(attrs={"placeholder": "LY-20261201-000123"})
    )
    contact = forms.CharField(label=_("E-mail or mobile number you gave"), max_length=254)


class InformationForm(forms.Form):
    body = forms.CharField(label=_("Add information"), max_length=MAX, widget=forms.Textarea(attrs={"rows": 4}))


class RatingForm(forms.Form):
    score = forms.ChoiceField(
        label=_("How satisfied are you with this reply?"), choices=Rating.Score.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DeflectionForm(forms.Form):
    query = forms.CharField(max_length=200, required=False)
    url = forms.CharField(max_length=500)
    title = forms.CharField(max_length=255, required=False)
    kind = forms.CharField(max_length=20, required=False)
    source = forms.CharField(max_length=10, required=False)


class CallForm(forms.Form):
    phone = forms.CharField(label=_("Caller's number"), max_length=30)
    question = forms.CharField(label=_("Question"), max_length=MAX, widget=forms.Textarea(attrs={"rows": 4}))
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.INQUIRY)
    category = forms.ChoiceField(label=_("Topic"), choices=Category.choices, initial=Category.OTHER)
    article = forms.CharField(label=_("KB article used (link or page number)"), max_length=500, required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("answered", _("Answered on the call")), ("follow_up", _("To follow up"))],
        initial="answered",
        widget=forms.RadioSelect,
    )

    def clean_phone(self):
        return phones.normalise_any(self.cleaned_data.get("phone", ""))

    def clean_article(self):
        value = (self.cleaned_data.get("article") or "").strip()
        if not value:
            return None
        from portal.intake.queries import find_article_id

        page_id = find_article_id(value)
        if page_id is None:
            raise ValidationError(_("We found no published KB article at that link or number."), code="article")
        return page_id


# --- Staff ----------------------------------------------------------------------------------------------------
class QueueFilterForm(forms.Form):
    def _choices(choices, label):
        return [("", label), *choices]

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_choices([("open", _("Open")), *Status.choices], _("Any status"))
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_choices(Kind.choices, _("Any kind")))
    category = forms.ChoiceField(label=_("Topic"), required=False, choices=_choices(Category.choices, _("Any topic")))
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=_choices(Priority.choices, _("Any priority"))
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=_choices(Channel.choices, _("Any channel")))
    sla = forms.ChoiceField(
        label=_("Answer time"),
        required=False,
        choices=[
            ("", _("Any")),
            ("breached", _("Past due")),
            ("due_soon", _("Due within 2 hours")),
            ("on_track", _("On track")),
        ],
    )
    assignee = forms.CharField(label=_("Assignee"), required=False, max_length=20)  # "me", "none" or a user id
    supervisor = forms.BooleanField(label=_("Supervisor queue"), required=False)
    q = forms.CharField(label=_("Reference or contact"), required=False, max_length=100)
    after = forms.CharField(required=False, widget=forms.HiddenInput, max_length=60)

    _choices = staticmethod(_choices)

    def controls(self):
        """The visible filters as plain data for the queue's template: {name, label, kind ("select", "text" or
        "checkbox"), value, options [(value, label, selected)]}.

        The queue draws them itself: Django's widget templates cost about 10 ms a page for these nine fields
        (bench_intake), as much as the whole table; the HTML (names, ids, labels) stays the same."""
        data = self.data if self.is_bound else self.initial
        controls = []
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.HiddenInput):
                continue
            value = data.get(name, "") or ""
            control = {"name": name, "id": f"id_{name}", "label": str(field.label), "value": value}
            if isinstance(field, forms.ChoiceField):
                control["kind"] = "select"
                control["options"] = [(str(v), str(label), str(v) == str(value)) for v, label in field.choices]
            elif isinstance(field, forms.BooleanField):
                control["kind"] = "checkbox"
                control["checked"] = bool(value) and str(value).lower() not in ("false", "0", "off")
            else:
                control["kind"] = "text"
                control["maxlength"] = field.max_length
            controls.append(control)
        return controls


class ReplyForm(forms.Form):
    canned = forms.ModelChoiceField(label=_("Canned response"), queryset=CannedResponse.objects.none(), required=False)
    body = forms.CharField(label=_("Reply"), max_length=MAX, widget=forms.Textarea(attrs={"rows": 8}), required=False)
    kb_link = forms.CharField(label=_("KB article link (optional)"), max_length=500, required=False)
    close = forms.BooleanField(label=_("Close after replying"), required=False)

    def __init__(self, *args, language="zh-hans", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["canned"].queryset = CannedResponse.objects.filter(language=language)

    def clean(self):
        data = super().clean()
        link = (data.get("kb_link") or "").strip()
        if link and not (link.startswith("/") or link.startswith(settings.WAGTAILADMIN_BASE_URL)):
            self.add_error("kb_link", _("Please link to an article on this site."))
        text = (data.get("body") or "").strip()
        if not text and data.get("canned"):
            text = data["canned"].body
        if not text:
            self.add_error("body", _("Please write the reply."))
        if link:
            text = f"{text}\n\n{link}"
        data["text"] = text
        return data


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Internal note"), max_length=MAX, widget=forms.Textarea(attrs={"rows": 3}))


class VipForm(forms.Form):
    email = forms.EmailField(label=_("Customer's account e-mail"))
    mobile = forms.CharField(label=_("Verified mobile number (optional)"), max_length=30, required=False)
    vip = forms.BooleanField(label=_("VIP"), required=False, initial=True)

    def clean_mobile(self):
        return phones.normalise_mobile(self.cleaned_data.get("mobile", ""))
