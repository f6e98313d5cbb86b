"""Who may see and do what in the knowledge base. Views, pages, templates, feeds, the sitemap and the page
cache all ask here; nobody re-derives the audience rule.

An agent is whoever holds `accounts.use_agent_console` (Agents, Moderators, Editors, KB reviewers,
Operations): agents see agents-only articles and the agent notes of public ones. Everybody else is a
customer and never learns that agents-only content exists.
"""

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction

from portal.core.audiences import Audience
from portal.core.policies import AccountPolicy


def in_private_section(path_field="path"):
    """An Exists() that is true when the page at `path_field` lies under a Wagtail view restriction.

    Same meaning as Wagtail's `PageQuerySet.public()`, but evaluated inside the query instead of as an extra
    query per use.
    """
    # A page is under a restriction when the restricted page's path is a prefix of its own path.
    return Exists(PageViewRestriction.objects.filter(page__path=Substr(OuterRef(path_field), 1, Length("page__path"))))


class KBPolicy:
    # One cache per policy on the user object (as Wagtail's permission policies keep theirs): it lives as long
    # as the request's user.
    permission_cache_name = "_kb_permission_cache"

    @classmethod
    def _cached(cls, user, key, compute):
        cache = user.__dict__.setdefault(cls.permission_cache_name, {})
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    @classmethod
    def forget(cls, user):
        user.__dict__.pop(cls.permission_cache_name, None)

    @classmethod
    def sees_agent_content(cls, user):
        return cls._cached(user, "agent", lambda: bool(AccountPolicy.is_agent(user)))

    @staticmethod
    def audiences_for(agent):
        """The article audiences a reader may see: agents see agents-only articles too (the core's rule)."""
        return Audience.readable_by(agent=agent, staff=False)

    @staticmethod
    def possible_article_owners():
        """Who may own an article (hears readers' comments, answers for it): Editors, KB reviewers, superusers."""
        from django.contrib.auth import get_user_model

        from portal.core import roles

        User = get_user_model()
        return User.objects.filter(
            Q(is_superuser=True)
            | Q(pk__in=User.objects.filter(groups__name__in=[roles.EDITORS, roles.KB_REVIEWERS]).values("pk"))
        ).order_by("display_name", "email")

    @classmethod
    def sees_agent_notes(cls, user):
        return cls.sees_agent_content(user)

    @classmethod
    def audiences(cls, user):
        """The audiences whose articles `user` may read."""
        return cls.audiences_for(cls.sees_agent_content(user))

    @classmethod
    def can_view(cls, user, article):
        """May `user` read this (live) article? Pages that are not articles have no audience of their own."""
        audience = getattr(article, "audience", Audience.PUBLIC)
        return audience == Audience.PUBLIC or cls.sees_agent_content(user)

    @classmethod
    def visible_articles(cls, user, qs):
        """Narrow an ArticlePage queryset to live articles `user` may read, outside private sections."""
        return qs.filter(live=True, audience__in=cls.audiences(user)).exclude(in_private_section())

    @classmethod
    def visible_relations(cls, user, qs, prefix="target"):
        """Narrow a queryset of rows pointing at articles (`prefix`) to those whose article `user` may read."""
        return qs.filter(
            Q(**{f"{prefix}__live": True}) & Q(**{f"{prefix}__audience__in": cls.audiences(user)})
        ).exclude(in_private_section(f"{prefix}__path"))

    @classmethod
    def can_use_on_call(cls, user, article):
        return cls.sees_agent_content(user) and cls.can_view(user, article)

    @staticmethod
    def can_see_feedback(user):
        """Editors and reviewers (anyone who may edit pages) see vote counts and comments in the admin."""
        if not user.is_authenticated:
            return False
        if user.is_superuser:
            return True
        from wagtail.permission_policies.pages import PagePermissionPolicy

        return PagePermissionPolicy().user_has_any_permission(user, ["change", "publish"])

    @classmethod
    def can_transfer(cls, user):
        """Editors and reviewers check files for import and export the KB (the admin's import/export screen)."""
        return cls.can_see_feedback(user)

    @staticmethod
    def can_import(user):
        """Importing publishes at once, without the review workflow: only those who may publish pages."""
        if not user.is_authenticated:
            return False
        if user.is_superuser:
            return True
        from wagtail.permission_policies.pages import PagePermissionPolicy

        return PagePermissionPolicy().user_has_permission(user, "publish")

    @classmethod
    def can_see_import(cls, user, job):
        """An import's report names every row: whoever may transfer sees every import."""
        return cls.can_transfer(user)
