"""VIP status moves to the customer's account (portal.accounts.VipCustomer), where the forum reads it too.

Every VIP customer the desk marked is copied over (user, verified mobile, who set it, when), then the message
board's own table goes.
"""

from django.db import migrations


def copy_to_accounts(apps, schema_editor):
    Old = apps.get_model("intake", "VipCustomer")
    New = apps.get_model("accounts", "VipCustomer")
    for old in Old.objects.all().iterator():
        New.objects.update_or_create(
            user_id=old.user_id,
            defaults={"mobile": old.mobile, "set_by_id": old.set_by_id, "created_at": old.created_at},
        )


def copy_back(apps, schema_editor):
    Old = apps.get_model("intake", "VipCustomer")
    New = apps.get_model("accounts", "VipCustomer")
    for new in New.objects.all().iterator():
        Old.objects.update_or_create(
            user_id=new.user_id,
            defaults={"mobile": new.mobile, "set_by_id": new.set_by_id, "created_at": new.created_at},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0001_message_board"),
        ("accounts", "0003_vip_customer"),
    ]

    operations = [
        migrations.RunPython(copy_to_accounts, copy_back),
        migrations.DeleteModel(name="VipCustomer"),
    ]
