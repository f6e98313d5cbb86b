"""The "Messages" admin menu: the desk's queue, the supervisor queue, VIP customers and canned responses."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.intake import admin_urls
from portal.intake.models import CannedResponse
from portal.intake.policies import IntakePolicy


class DeskMenuItem(MenuItem):
    def is_shown(self, request):
        return IntakePolicy.is_desk(request.user) or IntakePolicy.is_supervisor(request.user)


class SupervisorMenuItem(MenuItem):
    def is_shown(self, request):
        return IntakePolicy.is_supervisor(request.user)


class VipMenuItem(MenuItem):
    def is_shown(self, request):
        return IntakePolicy.can_set_vip(request.user)


class MessagesSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return IntakePolicy.is_desk(request.user) or IntakePolicy.is_supervisor(request.user)


class CannedResponseViewSet(SnippetViewSet):
    model = CannedResponse
    icon = "openquote"
    menu_label = _("Canned responses")
    add_to_admin_menu = False
    list_display = ["title", "language", "kind"]
    list_filter = ["language", "kind"]
    search_fields = ["title", "body"]


register_snippet(CannedResponseViewSet)


@hooks.register("register_admin_urls")
def register_intake_urls():
    return [path("messages/", include(admin_urls, namespace="intake_admin"))]


@hooks.register("register_admin_menu_item")
def register_messages_menu():
    menu = Menu(
        items=[
            DeskMenuItem(_("Queue"), reverse("intake_admin:queue"), icon_name="mail", order=100),
            DeskMenuItem(
                _("Mine"), reverse("intake_admin:queue") + "?status=open&assignee=me", icon_name="user", order=150
            ),
            SupervisorMenuItem(
                _("Supervisor queue"), reverse("intake_admin:queue") + "?supervisor=on", icon_name="warning", order=200
            ),
            VipMenuItem(_("VIP customers"), reverse("intake_admin:vip"), icon_name="pick", order=300),
            DeskMenuItem(
                _("Canned responses"),
                reverse("wagtailsnippets_intake_cannedresponse:list"),
                icon_name="openquote",
                order=400,
            ),
        ]
    )
    return MessagesSubmenu(_("Messages"), menu, icon_name="mail", order=440, name="messages")
