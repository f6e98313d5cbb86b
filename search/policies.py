"""Who may see which search audiences, use the agent console and read the search reports.

The audience filter of every search, suggestion and API call comes from here (from the user, never
from a request parameter): everyone sees "public"; agents (AccountPolicy.is_agent) also see "agents"
(internal articles, agent notes); staff roles also see "staff" (threads awaiting moderation); only staff
whose role works the message desk (`intake.work_messages`) also see "desk" (message board conversations:
an agent, a moderator or an editor never finds a customer's message). `agents()` answers the other way
round: who may use the console. Per-user answers are kept in one cache on the user object
(`permission_cache_name`, as Wagtail's permission policies do).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from portal.core import roles
from portal.core.audiences import Audience
from portal.core.policies import AccountPolicy

PUBLIC = Audience.PUBLIC.value
AGENTS = Audience.AGENTS.value
STAFF = Audience.STAFF.value
DESK = Audience.DESK.value
# The message board's permission (portal.intake, which search may not import): who works customers' messages.
DESK_PERMISSION = "intake.work_messages"


class SearchPolicy:
    permission_cache_name = "_search_permission_cache"

    @classmethod
    def _cached(cls, user, key, compute):
        cache = user.__dict__.setdefault(cls.permission_cache_name, {})
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    @classmethod
    def forget(cls, user):
        user.__dict__.pop(cls.permission_cache_name, None)

    @staticmethod
    def agents():
        """Active users who may use the agent console (accounts.use_agent_console, or superusers)."""
        from django.contrib.auth.models import Permission

        User = get_user_model()
        permission = Permission.objects.filter(codename="use_agent_console", content_type__app_label="accounts")
        return User.objects.filter(
            Q(is_superuser=True)
            | Q(pk__in=User.objects.filter(groups__permissions__in=permission).values("pk"))
            | Q(pk__in=User.objects.filter(user_permissions__in=permission).values("pk")),
            is_active=True,
        )

    @classmethod
    def audiences(cls, user):
        if user is None:
            return frozenset({PUBLIC})

        def compute():
            agent = user.is_authenticated and user.is_active and AccountPolicy.is_agent(user)
            staff = agent and roles.is_staff_member(user)
            desk = staff and user.has_perm(DESK_PERMISSION)
            return frozenset(Audience.readable_by(agent=agent, staff=staff, desk=desk))

        return cls._cached(user, "audiences", compute)

    @classmethod
    def can_see_notes(cls, user):
        return AGENTS in cls.audiences(user)

    @classmethod
    def can_see_messages(cls, user):
        """May find customers' messages (the message desk's audience) in search, the console and the API."""
        return DESK in cls.audiences(user)

    @classmethod
    def can_use_console(cls, user):
        return user.is_authenticated and AGENTS in cls.audiences(user)

    @staticmethod
    def can_view_reports(user):
        return user.is_authenticated and (user.is_superuser or AccountPolicy.can_view_operations(user))

    @classmethod
    def role(cls, user):
        """The role recorded in the query log (never the user): an agent uses the console and nothing more;
        staff also work in the admin."""
        if user is None or not user.is_authenticated:
            return "anonymous"
        if AGENTS not in cls.audiences(user):
            return "customer"
        if user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin"):
            return "staff"
        return "agent"
