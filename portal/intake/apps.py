from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "portal.intake"
    label = "intake"
    verbose_name = _("Message board")
    default_auto_field = "django.db.models.BigAutoField"
