from django.db import migrations


def seed(apps, schema_editor):
    from satupintu.documents.letter_types import CLOSING, LETTER_TYPES, OPENING

    LetterTemplate = apps.get_model("documents", "LetterTemplate")
    Agency = apps.get_model("accounts", "Agency")
    for letter_type in LETTER_TYPES:
        LetterTemplate.objects.get_or_create(
            service_code=letter_type.code,
            defaults={
                "abbreviation": letter_type.abbreviation,
                "title": letter_type.title,
                "subject": letter_type.subject,
                "classification": letter_type.classification,
                "default_agency": Agency.objects.filter(code=letter_type.agency).first(),
                "opening": OPENING,
                "body": letter_type.body,
                "closing": CLOSING,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial"), ("accounts", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
