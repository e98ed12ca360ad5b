from django.db import migrations, models


def fill(apps, schema_editor):
    from satupintu.registry.status import refresh_all

    refresh_all(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_death"),
    ]

    operations = [
        migrations.AddField(
            model_name="household",
            name="poverty_result",
            field=models.CharField(
                choices=[("miskin", "Miskin"), ("rentan", "Rentan miskin"), ("tidak_miskin", "Tidak miskin")],
                editable=False,
                max_length=15,
                null=True,
                verbose_name="status kesejahteraan",
            ),
        ),
        migrations.AddField(
            model_name="household",
            name="poverty_method",
            field=models.CharField(
                choices=[
                    ("dtsen", "Desil DTSEN"),
                    ("bps14", "Daftar periksa 14 kriteria BPS"),
                    ("verifikasi_lokal", "Verifikasi lokal UPT-PK"),
                ],
                editable=False,
                max_length=20,
                null=True,
                verbose_name="metode penilaian",
            ),
        ),
        migrations.AddField(
            model_name="household",
            name="poverty_desil",
            field=models.PositiveSmallIntegerField(editable=False, null=True, verbose_name="desil"),
        ),
        migrations.AddField(
            model_name="household",
            name="member_count",
            field=models.PositiveIntegerField(db_default=0, editable=False, verbose_name="jumlah anggota"),
        ),
        migrations.AddIndex(
            model_name="household",
            index=models.Index(fields=["poverty_result", "desa", "id"], name="registry_ho_poverty_9b8479_idx"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
