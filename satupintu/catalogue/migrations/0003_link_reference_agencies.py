"""Services created before the agencies existed get their usual referral agency (the same idempotent
load as 0002, now that `accounts.0003` has created the agencies)."""

from importlib import import_module

from django.db import migrations

load_services = import_module("satupintu.catalogue.migrations.0002_reference_services").load


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_reference_services"), ("accounts", "0003_reference_agencies")]
    operations = [migrations.RunPython(load_services, migrations.RunPython.noop)]
