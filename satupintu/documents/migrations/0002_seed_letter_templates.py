from django.db import migrations


def seed(apps, schema_editor):
    from satupintu.documents.letter_types import ensure_letter_templates

    ensure_letter_templates(apps.get_model("documents", "LetterTemplate"), apps.get_model("accounts", "Agency"))
    settings_model = apps.get_model("documents", "DocumentSettings")
    if not settings_model.objects.exists():
        settings_model.objects.create()  # the letterhead row an admin edits (field defaults: Sragen)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial"), ("accounts", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
