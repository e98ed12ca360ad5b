"""ParameterValue now belongs to the `parameters` app (its migration 0001); the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0005_standard_sources_marked_as_assumptions"),
        ("parameters", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ParameterValue")],
            database_operations=[],
        ),
    ]
