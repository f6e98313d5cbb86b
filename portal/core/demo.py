"""Demo building blocks every area's demo uses: the demo accounts and pages made once in both languages.

Idempotent: pages are found by slug and locale, users by e-mail, so running the demo twice changes nothing.
The site's `portal.demo.build_demo` calls each area's `<app>/demo.py`; those call these helpers.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Locale

from portal.core import roles

LOCALES = ("zh-hans", "en")


@dataclass(frozen=True)
class DemoUser:
    email: str
    password: str
    display_name: str
    role: str | None  # a group from portal.core.roles, or None for a customer
    totp_secret: str = ""  # staff sign in with MFA; the demo enrols them with this known secret
    superuser: bool = False


# Demo-only credentials, printed by `make run`. Never use these anywhere real. A TOTP secret is base32: letters
# A-Z and digits 2-7, a multiple of 8 characters long (tests/accounts/test_totp_secrets.py checks each).
DEMO_USERS = [
    DemoUser("customer@example.test", "demo-customer-2026", "王小明", None),
    DemoUser("customer.en@example.test", "demo-customer-2026", "Alex Chen", None),
    DemoUser(
        "moderator@example.test", "demo-moderator-2026", "版主·李娜", roles.MODERATORS, "JBSWY3DPEHPK3PXPMODERATE"
    ),
    DemoUser("editor@example.test", "demo-editor-2026", "编辑·张伟", roles.EDITORS, "JBSWY3DPEHPK3PXPEDITOR22"),
    DemoUser(
        "reviewer@example.test", "demo-reviewer-2026", "审核·刘洋", roles.KB_REVIEWERS, "JBSWY3DPEHPK3PXPREVIEWER"
    ),
    DemoUser("agent@example.test", "demo-agent-2026", "坐席·陈静", roles.AGENTS, "JBSWY3DPEHPK3PXPAGENT222"),
    DemoUser(
        "operations@example.test", "demo-operations-2026", "运营·赵磊", roles.OPERATIONS, "JBSWY3DPEHPK3PXPOPERATIO"
    ),
    DemoUser("desk@example.test", "demo-desk-2026", "留言·孙悦", roles.MESSAGE_DESK, "JBSWY3DPEHPK3PXPDESK2222"),
    DemoUser(
        "supervisor@example.test", "demo-supervisor-2026", "主管·周强", roles.SUPERVISORS, "JBSWY3DPEHPK3PXPSUPERVIS"
    ),
    DemoUser("admin@example.test", "demo-admin-2026", "管理员", None, "JBSWY3DPEHPK3PXPADMIN222", superuser=True),
]


@contextmanager
def index_updates_once():
    """Inside: Wagtail's own search index (the admin's search) and reference index ("usage") are brought up to
    date once per object when the block ends, instead of on each of the several saves a page's creation and
    publication make (2,500 of the demo build's 38,000 queries, and the work behind them).

    Wagtail enqueues both updates as tasks that read the object as it is when they run, and a task worker
    runs them after the fact anyway; here they run in the order first asked for, when everything is saved, so
    the indexes end exactly as if each save had updated them. Deletions still update both at once.
    """
    from django.apps import apps
    from modelsearch import index as modelsearch_index
    from modelsearch import signal_handlers as search_signals
    from wagtail import signal_handlers as wagtail_signals
    from wagtail.search import index as wagtail_index
    from wagtail.tasks import update_reference_index_task

    pending = {}  # (what, app label, model name, pk) in the order first asked for

    class Later:
        def __init__(self, what):
            self.what = what

        def enqueue(self, app_label, model_name, pk):
            pending.setdefault((self.what, app_label, model_name, str(pk)))

    def search_later(instance):
        pending.setdefault(("search", instance._meta.app_label, instance._meta.model_name, str(instance.pk)))

    hooks = [
        (search_signals, "insert_or_update_object_task", Later("search")),  # post_save of indexed models
        (wagtail_index, "insert_or_update_object", search_later),  # direct calls (kb.handlers on publish)
        (wagtail_signals, "update_reference_index_task", Later("references")),
    ]
    saved = [(module, name, getattr(module, name)) for module, name, _later in hooks]
    for module, name, later in hooks:
        setattr(module, name, later)
    try:
        yield
    finally:
        for module, name, original in saved:
            setattr(module, name, original)
    for what, app_label, model_name, pk in pending:
        model = apps.get_model(app_label, model_name)
        instance = model._default_manager.filter(pk=pk).first()
        if instance is None:
            continue  # deleted since: its delete signal has removed it from both indexes already
        if what == "search":
            modelsearch_index.insert_or_update_object(instance)
        else:
            update_reference_index_task.call(app_label, model_name, pk)


def ensure_locales():
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in LOCALES}


def publish(page, changed=True):
    if changed or not page.live or page.has_unpublished_changes:
        page.save_revision().publish()
    return page


def ensure_child(parent, model, slug, **fields):
    """The child of `parent` with this slug (created, or updated to `fields`), published, in the parent's locale."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, locale_id=parent.locale_id, **fields)
        parent.add_child(instance=page)
        return publish(page)
    return publish(page, apply_fields(page, fields))


def ensure_pair(zh_parent, model, slug, zh_fields, en_fields):
    """A page in Chinese under `zh_parent` and its English translation. Returns {locale code: page}."""
    zh = ensure_child(zh_parent, model, slug, **zh_fields)
    locale_en = Locale.objects.get(language_code="en")
    en = ensure_translation(zh, locale_en, **en_fields) if en_fields is not None else None
    return {"zh-hans": zh, "en": en}


def ensure_translation(page, locale, **fields):
    """The translation of `page` into `locale`, created by Wagtail's copy_for_translation, published."""
    translated = page.get_translation_or_none(locale)
    if translated is None:
        translated = page.copy_for_translation(locale, copy_parents=False)
        translated = translated.specific
        apply_fields(translated, fields)
        return publish(translated)
    translated = translated.specific
    changed = apply_fields(translated, fields)
    return publish(translated, changed)


def apply_fields(page, fields):
    changed = False
    for name, value in fields.items():
        if getattr(page, name) != value:
            setattr(page, name, value)
            changed = True
    return changed


def ensure_users():
    User = get_user_model()
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from allauth.mfa.utils import decrypt, encrypt

    for spec in DEMO_USERS:
        user = User.objects.filter(email=spec.email).first()
        if user is None:
            user = User.objects.create_user(spec.email, spec.password, display_name=spec.display_name)
        user.is_superuser = user.is_staff = spec.superuser
        user.preferred_language = "en" if spec.email.endswith(".en@example.test") else "zh-hans"
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=spec.email, defaults={"verified": True, "primary": True})
        if spec.role:
            user.groups.add(Group.objects.get(name=spec.role))
        if spec.totp_secret:
            totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
            if totp is None:
                TOTP.activate(user, spec.totp_secret)
            elif decrypt(totp.data["secret"]) != spec.totp_secret:
                # Earlier demos stored a secret that was not base32: put the documented one back.
                totp.data = {**totp.data, "secret": encrypt(spec.totp_secret)}
                totp.save(update_fields=["data"])
    return DEMO_USERS
