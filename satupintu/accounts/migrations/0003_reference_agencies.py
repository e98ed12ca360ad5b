"""The partner agencies are reference data: created by migrate, not only by the demo."""

from django.db import migrations


def load(apps, schema_editor):
    from satupintu.accounts.reference import ensure_agencies

    ensure_agencies(apps.get_model("accounts", "Agency"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_role_kasi")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
