"""Move every text into its German translation row (django-parler).

German is the source language, so the existing texts become the "de" rows.
Reversing copies the German rows back; other languages' rows are dropped with
their tables by reversing 0004.
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


def copy_into_translations(apps, schema_editor):
    for name, fields in TEXTS.items():
        model = apps.get_model("events", name)
        translation = apps.get_model("events", f"{name}Translation")
        batch = []
        columns = [f"{field}_untranslated" for field in fields]
        rows = model.objects.order_by("pk").values_list("pk", *columns)
        for master, *texts in rows.iterator(chunk_size=BATCH):
            batch.append(
                translation(
                    master_id=master,
                    language_code=SOURCE_LANGUAGE,
                    **dict(zip(fields, texts, strict=True)),
                )
            )
            if len(batch) >= BATCH:
                translation.objects.bulk_create(batch)
                batch = []
        translation.objects.bulk_create(batch)


def copy_back(apps, schema_editor):
    for name, fields in TEXTS.items():
        model = apps.get_model("events", name)
        translation = apps.get_model("events", f"{name}Translation")
        german = translation.objects.filter(language_code=SOURCE_LANGUAGE).order_by("pk")
        batch = []
        columns = [f"{field}_untranslated" for field in fields]
        rows = german.values_list("master_id", *fields)
        for master, *texts in rows.iterator(chunk_size=BATCH):
            batch.append(model(pk=master, **dict(zip(columns, texts, strict=True))))
            if len(batch) >= BATCH:
                model.objects.bulk_update(batch, columns)
                batch = []
        model.objects.bulk_update(batch, columns)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_translations"),
    ]

    # The old columns first become plain text with a default: reversing
    # 0006/0008 re-adds them empty, the copy back refills them, and only then
    # do they regain their type and constraints.
    operations = [
        migrations.AlterField(
            model_name='event',
            name='description_untranslated',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='event',
            name='motto_untranslated',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='event',
            name='photo_alt_untranslated',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='event',
            name='photo_credit_untranslated',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='event',
            name='title_untranslated',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='location',
            name='accessibility_notes_untranslated',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='location',
            name='name_untranslated',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='material',
            name='title_untranslated',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='review',
            name='body_untranslated',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='review',
            name='headline_untranslated',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='review',
            name='lead_untranslated',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='reviewphoto',
            name='alt_text_untranslated',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='reviewphoto',
            name='caption_untranslated',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='reviewphoto',
            name='credit_untranslated',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='serviceoffering',
            name='description_untranslated',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AlterField(
            model_name='serviceoffering',
            name='title_untranslated',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.RunPython(copy_into_translations, copy_back),
    ]
