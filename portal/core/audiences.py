"""Who may see an item: the one vocabulary every listable or searchable thing uses.

An agent-only article, an agent note inside a public article, a pending or hidden post, a private
message: each is AGENTS, STAFF or DESK and may never reach a customer through any route (page, search,
suggestion, feed, sitemap, API, e-mail or cache). DESK is narrower than STAFF: customers' messages (the
message board) are for the staff whose role works them, not for every staff role.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    AGENTS = "agents", _("Agents only")
    STAFF = "staff", _("Staff only")
    DESK = "desk", _("Message desk only")

    @classmethod
    def readable_by(cls, *, agent, staff, desk=False):
        """The audiences a reader may see: customers public only; agents add agents; staff add staff; the
        message desk (staff whose role works customers' messages) also desk."""
        audiences = [cls.PUBLIC.value]
        if agent or staff:
            audiences.append(cls.AGENTS.value)
        if staff:
            audiences.append(cls.STAFF.value)
        if staff and desk:
            audiences.append(cls.DESK.value)
        return audiences


# What an editor may choose for a knowledge-base article (staff-only content is never written by editors).
ARTICLE_AUDIENCES = [(Audience.PUBLIC.value, Audience.PUBLIC.label), (Audience.AGENTS.value, Audience.AGENTS.label)]
