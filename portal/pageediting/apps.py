from django.apps import AppConfig


class PageEditingConfig(AppConfig):
    name = "portal.pageediting"
    label = "pageediting"
    verbose_name = "Page editing"

    def ready(self):
        from wagtail.models import Page

        from portal.core.pageforms import PortalPageForm

        Page.base_form_class = PortalPageForm
