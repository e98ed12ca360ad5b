"""Letter templates seeded before the agencies existed get their letter type's usual addressee."""

from django.db import migrations


def link(apps, schema_editor):
    from satupintu.documents.letter_types import LETTER_TYPES

    template_model, agency_model = apps.get_model("documents", "LetterTemplate"), apps.get_model("accounts", "Agency")
    for letter_type in LETTER_TYPES:
        agency = agency_model.objects.filter(code=letter_type.agency).first()
        if agency is not None:
            template_model.objects.filter(service_code=letter_type.code, default_agency=None).update(
                default_agency=agency
            )


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_seed_letter_templates"), ("accounts", "0003_reference_agencies")]
    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
