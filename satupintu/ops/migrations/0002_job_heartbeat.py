from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ops", "0001_job"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="work",
            field=models.CharField(default="", max_length=120, verbose_name="fungsi"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="job",
            name="heartbeat",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
