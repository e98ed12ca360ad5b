"""The 14 reference services of the domain brief, with requirements and dated standards."""

from django.db import migrations


def load(apps, schema_editor):
    from satupintu.catalogue.data import load as load_services

    load_services(
        apps.get_model("catalogue", "ServiceType"),
        apps.get_model("catalogue", "Requirement"),
        apps.get_model("catalogue", "ServiceStandard"),
        apps.get_model("accounts", "Agency"),
    )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial"), ("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
