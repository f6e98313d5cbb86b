"""Create the staff role groups (Moderators, Editors, KB reviewers, Agents, Operations).

Permissions of apps migrated later are granted by portal.core.roles.sync_roles_after_migrate.
"""

from django.db import migrations


def create_roles(apps, schema_editor):
    from portal.core.roles import sync_roles

    sync_roles(apps, page_permissions=False)  # page permissions: after migrate


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
