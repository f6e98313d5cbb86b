from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.db.models.signals import post_migrate

        from portal.core import roles

        # Permissions of apps migrated after the roles migration are granted here, idempotently.
        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="portal_roles_sync")
