"""Who may see which search audiences, use the agent console and read the search reports.

The audience filter of every search, suggestion and API call comes from here (from the user, never
from a request parameter): everyone sees "public"; agents (AccountPolicy.is_agent) also see "agents"
(internal articles, agent notes); staff roles also see "staff" (threads awaiting moderation, message
board conversations).
"""

from portal.core import roles
from portal.core.policies import AccountPolicy

PUBLIC = "public"
AGENTS = "agents"
STAFF = "staff"


class SearchPolicy:
    @staticmethod
    def audiences(user):
        cached = getattr(user, "_portal_search_audiences", None)
        if cached is not None:
            return cached
        allowed = {PUBLIC}
        if user is not None and user.is_authenticated and user.is_active and AccountPolicy.is_agent(user):
            allowed.add(AGENTS)
            if roles.is_staff_member(user):
                allowed.add(STAFF)
        allowed = frozenset(allowed)
        if user is not None:
            try:
                user._portal_search_audiences = allowed
            except AttributeError:  # AnonymousUser instances are shared-looking but fine to tag
                pass
        return allowed

    @classmethod
    def can_see_notes(cls, user):
        return AGENTS in cls.audiences(user)

    @classmethod
    def can_use_console(cls, user):
        return user.is_authenticated and AGENTS in cls.audiences(user)

    @staticmethod
    def can_view_reports(user):
        return user.is_authenticated and (user.is_superuser or AccountPolicy.can_view_operations(user))

    @classmethod
    def role(cls, user):
        """The role recorded in the query log (never the user)."""
        if user is None or not user.is_authenticated:
            return "anonymous"
        audiences = cls.audiences(user)
        if AGENTS not in audiences:
            return "customer"
        if user.groups.filter(name=roles.AGENTS).exists():
            return "agent"
        return "staff"
