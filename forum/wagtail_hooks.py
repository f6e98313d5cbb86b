"""Wagtail admin entry points to the forum's moderation queues (the queues themselves are site pages)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from forum.policies import ForumPolicy


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return ForumPolicy.can_use_queues(request.user)


class AuditMenuItem(MenuItem):
    def is_shown(self, request):
        return ForumPolicy.can_view_audit(request.user)


class ForumSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return ForumPolicy.can_use_queues(request.user) or ForumPolicy.can_view_audit(request.user)


@hooks.register("register_admin_menu_item")
def register_forum_menu():
    menu = Menu(
        items=[
            ModeratorMenuItem(_("Unanswered by SLA"), reverse("forum:sla"), icon_name="time", order=100),
            ModeratorMenuItem(_("Pending approval"), reverse("forum:pending"), icon_name="tick", order=200),
            ModeratorMenuItem(_("Flagged posts"), reverse("forum:flagged"), icon_name="warning", order=300),
            AuditMenuItem(_("Audit log"), reverse("forum:audit"), icon_name="list-ul", order=400),
        ]
    )
    return ForumSubmenu(_("Forum moderation"), menu, icon_name="group", order=450, name="forum-moderation")
