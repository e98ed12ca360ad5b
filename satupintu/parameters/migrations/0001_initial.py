"""ParameterValue moves here from the catalogue: the state only. The table keeps its name
(`catalogue_parametervalue`), so no row moves; its content type is relabelled so that admin
permissions and log entries follow the model."""

from django.db import migrations, models


def relabel_content_type(apps, schema_editor, old="catalogue", new="parameters"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="parametervalue").exists():
        ContentType.objects.filter(app_label=old, model="parametervalue").update(app_label=new)


def relabel_back(apps, schema_editor):
    relabel_content_type(apps, schema_editor, old="parameters", new="catalogue")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("catalogue", "0005_standard_sources_marked_as_assumptions"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ParameterValue",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.SlugField(max_length=60, verbose_name="parameter")),
                        ("value", models.JSONField(verbose_name="nilai")),
                        ("valid_from", models.DateField(verbose_name="berlaku sejak")),
                        ("legal_source", models.CharField(max_length=250, verbose_name="dasar hukum/sumber")),
                    ],
                    options={
                        "verbose_name": "parameter aturan",
                        "verbose_name_plural": "parameter aturan",
                        "db_table": "catalogue_parametervalue",
                        "ordering": ["name", "-valid_from"],
                        "constraints": [
                            models.UniqueConstraint(fields=("name", "valid_from"), name="one_parameter_value_per_date")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_content_type, relabel_back),
    ]
