"""The fixed vocabularies of the knowledge base: who may read an article, and the channels it applies to."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core import audiences

# Who may read an article: the core's one vocabulary (portal.core.audiences), re-exported for kb's callers.
Audience = audiences.Audience


class Channel(models.TextChoices):
    WEB = "web", _("Web banking")
    MOBILE = "mobile", _("Mobile banking")
    PHONE = "phone", _("Phone banking")
    COUNTER = "counter", _("Branch counter")
