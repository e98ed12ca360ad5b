"""Services created before the agencies existed get their usual referral agency."""

from django.db import migrations


def link(apps, schema_editor):
    from satupintu.catalogue.data import load as load_services

    load_services(
        apps.get_model("catalogue", "ServiceType"),
        apps.get_model("catalogue", "Requirement"),
        apps.get_model("catalogue", "ServiceStandard"),
        apps.get_model("accounts", "Agency"),
    )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_reference_services"), ("accounts", "0003_reference_agencies")]
    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
