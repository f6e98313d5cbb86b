"""The operations dashboard in the Wagtail admin menu, for the Operations role."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal.operations import views
from portal.operations.policies import OperationsPolicy


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("operations/", views.dashboard, name="operations_dashboard"),
        path("operations/now.json", views.now, name="operations_now"),
        path("operations/items/", views.items, name="operations_items"),
        path("operations/targets/", views.set_target, name="operations_set_target"),
    ]


class OperationsMenuItem(MenuItem):
    def is_shown(self, request):
        return OperationsPolicy.can_view(request.user)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return OperationsMenuItem(_("Operations"), reverse("operations_dashboard"), icon_name="pick", order=250)
