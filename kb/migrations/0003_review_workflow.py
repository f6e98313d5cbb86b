"""The "KB review" workflow: one group-approval task for the KB reviewers group, on every KB index.

Idempotent, and repeated by kb.actions.ensure_review_workflow (the demo, and whenever a KB index is created):
both go through portal.core.workflows.ensure_workflow.
"""

from django.db import migrations

from portal.core.workflows import ensure_workflow

WORKFLOW_NAME = "KB review"
TASK_NAME = "KB reviewers approve"


def create_workflow(apps, schema_editor):
    indexes = apps.get_model("kb", "KnowledgeIndexPage").objects.values_list("pk", flat=True)
    ensure_workflow(WORKFLOW_NAME, TASK_NAME, "KB reviewers", list(indexes), apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0002_articles"),
        ("accounts", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_workflow, migrations.RunPython.noop)]
