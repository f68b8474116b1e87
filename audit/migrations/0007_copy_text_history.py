"""Keep the history of texts when they move into translation rows.

Each historical row of an event, place, service, material, review or photo
gets a matching historical row of its German translation, with the same time,
user, reason and type, so the list of changes still shows who wrote what.
Reversing writes the texts back into the old columns (restored by reversing
0008) and removes the copies.
"""

from django.db import migrations, models

SOURCE_LANGUAGE = "de"
BATCH = 2000

TEXTS = {
    "Event": ["title", "motto", "description", "photo_alt", "photo_credit"],
    "Location": ["name", "accessibility_notes"],
    "ServiceOffering": ["title", "description"],
    "Material": ["title"],
    "Review": ["headline", "lead", "body"],
    "ReviewPhoto": ["alt_text", "credit", "caption"],
}
META = ["history_date", "history_change_reason", "history_type", "history_user_id"]


def copy_history(apps, schema_editor):
    for name, fields in TEXTS.items():
        history = apps.get_model("audit", f"Historical{name}")
        text_history = apps.get_model("audit", f"Historical{name}Translation")
        translation = apps.get_model("events", f"{name}Translation")
        translation_ids = dict(
            translation.objects.filter(language_code=SOURCE_LANGUAGE).values_list(
                "master_id", "pk"
            )
        )
        batch = []
        rows = history.objects.order_by("history_id").values("id", *META, *fields)
        for row in rows.iterator(chunk_size=BATCH):
            master = row.pop("id")
            batch.append(
                text_history(
                    # A deleted object has no translation row any more: 0.
                    id=translation_ids.get(master, 0),
                    master_id=master,
                    language_code=SOURCE_LANGUAGE,
                    **row,
                )
            )
            if len(batch) >= BATCH:
                text_history.objects.bulk_create(batch)
                batch = []
        text_history.objects.bulk_create(batch)


def copy_back_and_remove(apps, schema_editor):
    for name, fields in TEXTS.items():
        history = apps.get_model("audit", f"Historical{name}")
        text_history = apps.get_model("audit", f"Historical{name}Translation")
        german = text_history.objects.filter(language_code=SOURCE_LANGUAGE)
        for row in german.values("master_id", "history_date", *fields).iterator():
            history.objects.filter(
                id=row.pop("master_id"), history_date=row.pop("history_date")
            ).update(**row)
        text_history.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0006_translations"),
        ("events", "0005_copy_texts_into_translations"),
    ]

    # The old columns first become plain text with a default: reversing
    # 0006/0008 re-adds them empty, the copy back refills them, and only then
    # do they regain their type and constraints.
    operations = [
        migrations.AlterField(
            model_name='historicalevent',
            name='description',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='historicalevent',
            name='motto',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='historicalevent',
            name='photo_alt',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='historicalevent',
            name='photo_credit',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='historicalevent',
            name='title',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='historicallocation',
            name='accessibility_notes',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='historicallocation',
            name='name',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='historicalmaterial',
            name='title',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='historicalreview',
            name='body',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='historicalreview',
            name='headline',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='historicalreview',
            name='lead',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='historicalreviewphoto',
            name='alt_text',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='historicalreviewphoto',
            name='caption',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='historicalreviewphoto',
            name='credit',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='historicalserviceoffering',
            name='description',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='historicalserviceoffering',
            name='title',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.RunPython(copy_history, copy_back_and_remove),
    ]
