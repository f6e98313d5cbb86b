"""The "Video review" workflow: one group-approval task for the KB reviewers group, on every video index.

Idempotent, and repeated by videos.actions.ensure_review_workflow (the demo): both go through
portal.core.workflows.ensure_workflow.
"""

from django.db import migrations

from portal.core.workflows import ensure_workflow

WORKFLOW_NAME = "Video review"
TASK_NAME = "Video reviewers approve"


def create_workflow(apps, schema_editor):
    indexes = apps.get_model("videos", "VideoIndexPage").objects.values_list("pk", flat=True)
    ensure_workflow(WORKFLOW_NAME, TASK_NAME, "KB reviewers", list(indexes), apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("videos", "0002_episodes_experts_live_questions"),
        ("accounts", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_workflow, migrations.RunPython.noop)]
