"""The two immediate services' standard (clinic, ambulance), loaded by 0002, cited an unnamed SOP for
its 30-minute response time. No source states that figure, so the source now says that it is an
assumption to be replaced by the regulation in force. (The other standards cite Table 3 of the
paper on UPT-PK Sragen, which does give their periods; they are left as they are.)

A standard that has taken effect is never edited (catalogue.models.TakenEffect), but this is not
a change of the standard: the kind, the days, the minutes and the start date stay as they are, and
every application keeps the standard it was received under. Only the text that names the source
was false, and a false citation shown to citizens on the service charter is corrected, not
superseded: a new row from today would leave the old row citing it for every earlier date.

Rows are matched by the exact old text, so a source an admin wrote is left alone. The texts are
written out here rather than imported, so this migration does the same whatever the code says later.
"""

from django.db import migrations

CORRECTIONS = {
    "SOP UPT-PK Sragen: dilayani segera (tidak tercantum di Tabel 3)": (
        "asumsi — ganti dengan Perbup/SK yang berlaku (standar pelayanan UPT-PK Sragen: dilayani segera, "
        "waktu tanggap 30 menit)"
    ),
}


def correct_sources(apps, schema_editor):
    ServiceStandard = apps.get_model("catalogue", "ServiceStandard")  # noqa: N806 - a model class
    for old, new in CORRECTIONS.items():
        ServiceStandard.objects.filter(legal_source=old).update(legal_source=new)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0004_protect_standards_from_service_deletion")]
    operations = [migrations.RunPython(correct_sources, migrations.RunPython.noop)]
