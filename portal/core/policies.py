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
