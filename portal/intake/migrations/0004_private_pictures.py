"""Pictures sent with messages move to private storage (outside MEDIA_ROOT, no public URL): the files already
under /media/intake/ are moved there with the same names."""

from django.core.files.storage import default_storage
from django.db import migrations, models

import portal.core.private_media


def move_pictures(apps, schema_editor):
    Message = apps.get_model("intake", "Message")
    private = portal.core.private_media.private_storage()
    for name in Message.objects.exclude(picture="").exclude(picture=None).values_list("picture", flat=True):
        if not default_storage.exists(name) or private.exists(name):
            continue
        with default_storage.open(name, "rb") as source:
            private.save(name, source)
        default_storage.delete(name)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0003_queue_vip_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="message",
            name="picture",
            field=models.ImageField(
                blank=True,
                null=True,
                storage=portal.core.private_media.private_storage,
                upload_to="intake/%Y/%m/",
                verbose_name="picture",
            ),
        ),
        migrations.RunPython(move_pictures, migrations.RunPython.noop),
    ]
