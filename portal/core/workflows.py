"""Wagtail review workflows: one way to create them, and their names in the reader's language.

- `ensure_workflow`: a workflow with one group-approval task on some pages, idempotent. The data migrations
  (with their historical models, `apps=`) and the demo/actions (live models) call the same function.
- Names: Wagtail stores a workflow's and a task's name as a row and prints it everywhere (the "Submit to …"
  button, the status panel, history, notification e-mails, reports): more than a hundred places. Our names
  are English msgids in the translation catalogue; `connect()` makes each loaded Workflow or Task carry its
  name as a `TranslatedName`, so every one of those places prints it in the language of whoever is reading
  (an e-mail in its recipient's), while comparisons, queries, JSON and saves still see the msgid. The stored
  value never changes: a save writes the msgid back, also when the admin's edit form sends the translation it
  showed. A name that has no catalogue entry (one an administrator typed) reads as typed.
"""

from django.conf import settings
from django.db.models.signals import post_init, post_save, pre_save
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

# Wagtail's own default workflow and task (wagtailcore migration 0048), on the root page: its catalogue
# does not translate them, ours does.
MODERATORS_APPROVAL = gettext_noop("Moderators approval")


class TranslatedName(str):
    """A stored name that reads in the reader's language.

    As a string (comparisons, queries, JSON, what gets saved) it is the msgid; printed (`str()`, `%s`, f-strings,
    templates, e-mails) it is the msgid's translation in the language active at that moment. Printing a lazy
    translation instead broke Workflow.__str__ (it must return a real str) and would have written the reader's
    language into Wagtail's logs.
    """

    def __str__(self):
        return gettext(str.__str__(self))

    def __format__(self, spec):
        return format(str(self), spec)


def ensure_workflow(name, task_name, group_name, pages, *, apps=None):
    """The workflow `name` (active), whose one task `task_name` is approved by the group `group_name`, on each
    page in `pages` (pages or their ids). Idempotent: run it again and nothing is duplicated. Returns it.

    `apps` is a migration's app registry (historical models); without it the live models are used.
    """
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    group, _created = Group.objects.get_or_create(name=group_name)
    workflow, _created = Workflow.objects.get_or_create(name=name, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=task_name).first()
    if task is None:
        # Historical models do not run Wagtail's Task.__init__, which fills in the content type.
        content_type, _created = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
        task = GroupApprovalTask.objects.create(name=task_name, content_type=content_type, active=True)
    task.groups.add(group)
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})
    for page in pages:
        page_id = getattr(page, "pk", page)
        WorkflowPage.objects.update_or_create(page_id=page_id, defaults={"workflow": workflow})
    return workflow


# --- Names in the reader's language ------------------------------------------------------------------
def _loaded(sender, instance, **kwargs):
    name = instance.__dict__.get("name")
    if isinstance(name, str) and name and not isinstance(name, TranslatedName):
        instance.name = TranslatedName(name)


def _msgid(sender, instance, value):
    """The value to store for the name `value`: the msgid behind a TranslatedName; the stored msgid when
    `value` is that msgid's translation in one of the site's languages (the edit form sends back what it showed)."""
    if isinstance(value, TranslatedName):
        return str.__str__(value)
    if not instance.pk or not value:
        return value
    stored = sender._base_manager.filter(pk=instance.pk).values_list("name", flat=True).first()
    if not stored or stored == value:
        return value
    for language, _label in settings.LANGUAGES:
        with translation.override(language):
            if gettext(stored) == value:
                return stored
    return value


def _saving(sender, instance, raw=False, **kwargs):
    if not raw and "name" in instance.__dict__:  # a deferred name is not saved
        instance.name = _msgid(sender, instance, instance.__dict__.get("name"))


def _saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _loaded(sender, instance)


def connect():
    """Connect the name translation to Workflow and every Task type (call once, from an AppConfig.ready)."""
    from wagtail.models import Task, Workflow
    from wagtail.workflows import get_task_types

    for model in {Workflow, Task, *get_task_types()}:
        uid = f"portal-workflow-names-{model._meta.label_lower}"
        post_init.connect(_loaded, sender=model, dispatch_uid=f"{uid}-init", weak=False)
        pre_save.connect(_saving, sender=model, dispatch_uid=f"{uid}-pre", weak=False)
        post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}-post", weak=False)
