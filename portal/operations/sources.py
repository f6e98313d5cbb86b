"""The registry of channels the dashboard counts: each channel is one module that registers one Channel.

A channel (the forum; the message board, SMS and phone calls by kind; live Q&A) hands the
dashboard one queryset of its items annotated with the standard names below, plus its live queue and a
link to each item. Every metric, breakdown, trend, forecast, report and CSV is computed from those
annotations by portal/operations/metrics.py, so a new channel appears everywhere without touching the
dashboard. A module in portal/operations/channels/ registers itself on import (see autodiscover).

Standard annotations of `Channel.items()` (all computed in the database):

    op_opened          when the customer asked (aware datetime, never null)
    op_first_response  the first staff answer, null while waiting
    op_due             when the first-response target runs out
    op_resolved        when the item was solved (accepted answer, closing reply), null if not yet
    op_reopened        True if the item was ever reopened after being solved
    op_rating          "satisfied", "neutral", "dissatisfied", or null when the customer did not rate
    op_vip             True for VIP customers' items
    op_group           key of the board / category / kind the item belongs to
    op_group_label     its name
    op_staff           user id of the staff member who answered first, null while waiting
    op_title           what a drill-down list shows
"""

from dataclasses import dataclass
from importlib import import_module

from django.utils.translation import gettext_lazy as _

FIELDS = (
    "op_opened",
    "op_first_response",
    "op_due",
    "op_resolved",
    "op_reopened",
    "op_rating",
    "op_vip",
    "op_group",
    "op_group_label",
    "op_staff",
    "op_title",
)
SATISFIED = "satisfied"
CHANNEL_MODULES = [
    "portal.operations.channels.forum",
    "portal.operations.channels.intake",
    "portal.operations.channels.live_qa",
]

_registry = {}


@dataclass
class Queue:
    """A channel's queue at this moment."""

    waiting: int
    breached: int
    oldest_title: str = ""
    oldest_url: str = ""
    oldest_opened: object = None


class Channel:
    """Subclass per channel; register an instance with `register()`."""

    key = ""
    label = ""
    group_label = _("Group")

    def items(self):
        """Every customer item of the channel, annotated with FIELDS."""
        raise NotImplementedError

    def queue(self, now):
        """The items waiting for a first response now: a Queue."""
        raise NotImplementedError

    def item_urls(self, pks):
        """{pk: where staff open the item}, for a drill-down list, in a fixed number of queries."""
        raise NotImplementedError

    def groups(self):
        """(key, label) of the channel's groups, for per-team targets."""
        return []

    def parse_group(self, text):
        """The op_group value a drill-down link names (a board id by default), or None when it is not one."""
        return int(text) if text.isdigit() else None

    def title_text(self, title):
        """What a drill-down list shows of an item's op_title (a channel may mask personal numbers)."""
        return title


def register(channel):
    _registry[channel.key] = channel
    return channel


def channels():
    return list(_registry.values())


def get(key):
    return _registry.get(key)


def autodiscover():
    for name in CHANNEL_MODULES:
        import_module(name)
