"""Mask card, ID and mobile numbers in readers' comments stored before the feedback action masked them."""

from django.db import migrations


def mask_comments(apps, schema_editor):
    from portal.core.masking import mask_personal_data

    ArticleFeedback = apps.get_model("kb", "ArticleFeedback")
    for feedback in ArticleFeedback.objects.exclude(comment="").only("pk", "comment").iterator(chunk_size=500):
        masked = mask_personal_data(feedback.comment)
        if masked.changed:
            ArticleFeedback.objects.filter(pk=feedback.pk).update(comment=masked.text)


class Migration(migrations.Migration):
    dependencies = [("kb", "0003_review_workflow")]

    operations = [migrations.RunPython(mask_comments, migrations.RunPython.noop, elidable=True)]
