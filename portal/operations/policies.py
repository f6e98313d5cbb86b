"""Who may see the operations dashboard, its drill-downs and exports, and change targets: the Operations role."""

from portal.core.policies import AccountPolicy


class OperationsPolicy:
    @staticmethod
    def can_view(user):
        return user.is_authenticated and (user.is_superuser or AccountPolicy.can_view_operations(user))

    @staticmethod
    def can_set_targets(user):
        return OperationsPolicy.can_view(user)
