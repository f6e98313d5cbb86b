"""Who may do what with accounts. Views, middleware and templates ask here instead of re-deriving rules."""

from portal.core import roles


class AccountPolicy:
    @staticmethod
    def must_use_mfa(user):
        return roles.is_staff_member(user)

    @staticmethod
    def has_mfa(user):
        from allauth.mfa.models import Authenticator

        return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    @staticmethod
    def is_agent(user):
        return user.is_authenticated and user.has_perm("accounts.use_agent_console")

    @staticmethod
    def can_view_operations(user):
        return user.is_authenticated and user.has_perm("accounts.view_operations")

    @staticmethod
    def can_use_admin(user):
        """May open Wagtail's admin (/admin/)."""
        return user.is_authenticated and user.is_active and user.has_perm("wagtailadmin.access_admin")

    @staticmethod
    def can_use_django_admin(user):
        """May open Django's admin (/django-admin/): Django's own rule."""
        return user.is_authenticated and user.is_active and user.is_staff
