from django.db import migrations


def leave_room_for_updates(apps, schema_editor):
    """The import links each staged row to its household and person by UPDATE; free space in every
    page lets PostgreSQL do those as HOT updates (no index writes). SQLite has no such setting."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE imports_stagedrow SET (fillfactor = 50)")


class Migration(migrations.Migration):
    dependencies = [("imports", "0001_initial")]
    operations = [migrations.RunPython(leave_room_for_updates, migrations.RunPython.noop)]
