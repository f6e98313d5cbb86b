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
    return bool(prime(user) & STAFF_ROLES)


_PRIMED = "_portal_role_names"


def prime(user):
    """The names of `user`'s groups, with every permission they hold through groups or directly, in one query;
    kept on the user object (as Django keeps its permission caches there, for the request's user) and handed to
    Django's ModelBackend caches, so `has_perm` and `is_staff_member` ask nothing more. Returns the group names.

    Without it a signed-in page asked three times: the user's own permissions, their groups' permissions (both
    for the first `has_perm`) and their groups (`is_staff_member`). `forget(user)` drops it after a change.
    """
    if not user.is_authenticated or user.pk is None:
        return frozenset()
    user = _unwrapped(user)
    names = user.__dict__.get(_PRIMED)
    if names is not None:
        return names
    from django.contrib.auth.models import Group, Permission
    from django.db.models import CharField, Value

    by_group = (
        Group.objects.filter(user=user)
        .order_by()
        .values_list("name", "permissions__content_type__app_label", "permissions__codename")
    )
    direct = (
        Permission.objects.filter(user=user)
        .order_by()
        .values_list(Value(None, output_field=CharField()), "content_type__app_label", "codename")
    )
    groups, group_perms, user_perms = set(), set(), set()
    for name, app_label, codename in by_group.union(direct, all=True):
        if name is not None:
            groups.add(name)
        if codename is not None:
            (group_perms if name is not None else user_perms).add(f"{app_label}.{codename}")
    # Django's ModelBackend reads these (active non-superusers only: it answers superusers from every permission).
    if user.is_active and not user.is_superuser:
        user._user_perm_cache = user_perms
        user._group_perm_cache = group_perms
        user._perm_cache = user_perms | group_perms
    user.__dict__[_PRIMED] = frozenset(groups)
    return user.__dict__[_PRIMED]


def _unwrapped(user):
    """The User itself, not request.user's lazy wrapper: Django's backends keep their caches on the User."""
    from django.utils.functional import LazyObject, empty

    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        return user._wrapped
    return user


def forget(user):
    """Drop what `prime` and Django's permission caches remember about `user` (after a role change)."""
    user = _unwrapped(user)
    for name in (_PRIMED, "_user_perm_cache", "_group_perm_cache", "_perm_cache"):
        user.__dict__.pop(name, None)


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
