"""Who may see an item: the one vocabulary every listable or searchable thing uses.

An agent-only article, an agent note inside a public article, a pending or hidden post, a private
message: each is AGENTS or STAFF and may never reach a customer through any route (page, search,
suggestion, feed, sitemap, API, e-mail or cache).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    AGENTS = "agents", _("Agents only")
    STAFF = "staff", _("Staff only")

    @classmethod
    def readable_by(cls, *, agent, staff):
        """The audiences a reader may see: customers public only; agents add agents; staff see all."""
        audiences = [cls.PUBLIC.value]
        if agent or staff:
            audiences.append(cls.AGENTS.value)
        if staff:
            audiences.append(cls.STAFF.value)
        return audiences


# What an editor may choose for a knowledge-base article (staff-only content is never written by editors).
ARTICLE_AUDIENCES = [(Audience.PUBLIC.value, Audience.PUBLIC.label), (Audience.AGENTS.value, Audience.AGENTS.label)]
