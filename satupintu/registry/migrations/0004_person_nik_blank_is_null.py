"""A person without a NIK has NULL, never an empty string.

The API once stored "" where the web form stores NULL; after the first such person every other one
without a NIK collided with it in the unique index. The rows are turned into NULL, then a check
keeps "" out for good.
"""

from django.db import migrations, models


def blank_to_null(apps, schema_editor):
    apps.get_model("registry", "Person").objects.filter(nik="").update(nik=None)


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_drop_unused_like_indexes")]

    operations = [
        migrations.RunPython(blank_to_null, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.CheckConstraint(condition=~models.Q(nik=""), name="registry_person_nik_not_blank"),
        ),
    ]
