"""Staff roles as Django groups, and the permissions each one needs.

The groups are created by a data migration (accounts 0002); permissions of models that other apps add
later are granted after every migrate by `sync_roles_after_migrate`, so the table below stays the one
source of truth. A permission named here that does not exist yet is simply skipped until it does.
"""

from django.utils.translation import gettext_lazy as _

MODERATORS = "Moderators"
EDITORS = "Editors"
KB_REVIEWERS = "KB reviewers"
AGENTS = "Agents"
OPERATIONS = "Operations"
MESSAGE_DESK = "Message desk"
SUPERVISORS = "Supervisors"

ROLE_LABELS = {
    MODERATORS: _("Moderators"),
    EDITORS: _("Editors"),
    KB_REVIEWERS: _("KB reviewers"),
    AGENTS: _("Agents"),
    OPERATIONS: _("Operations"),
    MESSAGE_DESK: _("Message desk"),
    SUPERVISORS: _("Supervisors"),
}

# Model and admin permissions, as "app_label.codename".
ROLE_PERMISSIONS = {
    MODERATORS: [
        "wagtailadmin.access_admin",
        "forum.moderate_forum",
        "forum.view_auditentry",
        "videos.moderate_question",
        "accounts.use_agent_console",
    ],
    EDITORS: [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "portal_search.add_synonymgroup",
        "portal_search.change_synonymgroup",
        "portal_search.delete_synonymgroup",
        "portal_search.add_dictionaryword",
        "portal_search.change_dictionaryword",
        "portal_search.delete_dictionaryword",
        "accounts.use_agent_console",
    ],
    KB_REVIEWERS: [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.choose_document",
        "portal_search.add_synonymgroup",
        "portal_search.change_synonymgroup",
        "portal_search.delete_synonymgroup",
        "portal_search.add_dictionaryword",
        "portal_search.change_dictionaryword",
        "portal_search.delete_dictionaryword",
        "accounts.use_agent_console",
    ],
    AGENTS: ["accounts.use_agent_console"],
    OPERATIONS: ["wagtailadmin.access_admin", "accounts.view_operations", "accounts.use_agent_console"],
    # The message board and SMS queue (portal/intake): answer customers, edit the canned responses.
    MESSAGE_DESK: [
        "wagtailadmin.access_admin",
        "intake.work_messages",
        "intake.add_cannedresponse",
        "intake.change_cannedresponse",
        "intake.delete_cannedresponse",
        "accounts.use_agent_console",
    ],
    # The service centre's supervisors: escalated forum threads and dissatisfied askers come to them, and
    # they work the moderation queues of every board; on the message desk they also assign to others,
    # take up dissatisfied customers and mark VIPs.
    SUPERVISORS: [
        "forum.moderate_forum",
        "forum.view_auditentry",
        "wagtailadmin.access_admin",
        "intake.work_messages",
        "intake.supervise_messages",
        "intake.set_vip",
        "intake.view_auditentry",
        "intake.add_cannedresponse",
        "intake.change_cannedresponse",
        "intake.delete_cannedresponse",
        "accounts.use_agent_console",
    ],
}

# Wagtail page permissions granted on the tree root (so they cover every locale's tree).
ROLE_PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    KB_REVIEWERS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}

STAFF_ROLES = frozenset(ROLE_PERMISSIONS)


def is_staff_member(user):
    """Staff accounts (any role, Django staff, superusers) must use MFA."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.groups.filter(name__in=STAFF_ROLES).exists()


def sync_roles(apps, page_permissions=True):
    """Create the role groups and grant the permissions that exist now. Idempotent."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            wanted += list(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        # Exactly the table: Wagtail's own "Moderators"/"Editors" groups start with other permissions.
        group.permissions.set(wanted)
    if page_permissions:
        _sync_page_permissions(apps)


def _sync_page_permissions(apps):
    try:
        Page = apps.get_model("wagtailcore", "Page")
        GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    except LookupError:
        return
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    root = Page.objects.filter(depth=1).first()
    if root is None:
        return
    for name in ROLE_PERMISSIONS:
        group = Group.objects.get(name=name)
        codenames = ROLE_PAGE_PERMISSIONS.get(name, [])
        GroupPagePermission.objects.filter(group=group).exclude(page=root, permission__codename__in=codenames).delete()
        for codename in codenames:
            permission = Permission.objects.filter(content_type__app_label="wagtailcore", codename=codename).first()
            if permission is not None:
                GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)


def sync_roles_after_migrate(sender, app_config=None, using="default", apps=None, **kwargs):
    # Run once per migrate, after the last app: post_migrate fires per app, "accounts" is enough.
    if app_config is None or app_config.label != "accounts" or apps is None:
        return
    try:
        apps.get_model("auth", "Group")
    except LookupError:
        return
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    # Other apps' own post_migrate may not have run yet: make sure every permission row exists first.
    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using, apps=apps)
    sync_roles(apps)
