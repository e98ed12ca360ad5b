"""Drop the registry's `…_like` indexes on PostgreSQL (nothing reads them).

Django adds a second index with `varchar_pattern_ops` beside every indexed or unique CharField on
PostgreSQL, for `LIKE 'abc%'` (startswith). Nothing in Satu Pintu filters these columns so: NIK,
KK numbers and desa codes are looked up whole, and the name search is `icontains` (`UPPER(name)
LIKE '%…%'`), which no btree serves. Each one cost every write of a person, household or KK
number one more index entry, and the first load of a regency (1M people) about 2.5 s to build
them. The ordinary indexes and the unique constraints stay.

A later migration that changes one of these columns' type would bring its `_like` index back;
drop it again then. SQLite has no such indexes: nothing to do there.
"""

from django.db import migrations

LIKE_INDEXED = [("Person", "nik"), ("Person", "name"), ("Household", "kk_number"), ("Household", "desa"),
                ("KKNumber", "number")]  # fmt: skip


def _fields(apps):
    for model_name, field_name in LIKE_INDEXED:
        model = apps.get_model("registry", model_name)
        yield model, model._meta.get_field(field_name)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, field in _fields(apps):
        name = schema_editor._create_index_name(model._meta.db_table, [field.column], suffix="_like")
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, field in _fields(apps):
        schema_editor.execute(schema_editor._create_like_index_sql(model, field))


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_ascii_digit_validators")]

    operations = [migrations.RunPython(drop, create, elidable=False)]
