"""Notification moves here from `cases`: the state only. The table keeps its name
(`cases_notification`), so no row moves; its content type is relabelled so that admin permissions
and log entries follow the model."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def relabel_content_type(apps, schema_editor, old="cases", new="notifications"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="notification").exists():
        ContentType.objects.filter(app_label=old, model="notification").update(app_label=new)


def relabel_back(apps, schema_editor):
    relabel_content_type(apps, schema_editor, old="notifications", new="cases")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cases", "0003_referral_document"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("channel", models.CharField(choices=[("sms", "SMS"), ("whatsapp", "WhatsApp"), ("internal", "Internal (petugas)")], default="sms", max_length=10)),
                        ("phone", models.CharField(blank=True, max_length=20)),
                        ("body", models.TextField()),
                        ("state", models.CharField(choices=[("pending", "Menunggu"), ("sent", "Terkirim"), ("failed", "Gagal")], default="pending", max_length=10)),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("next_attempt_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("last_error", models.CharField(blank=True, max_length=250)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("application", models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="notifications", to="cases.application")),
                        ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "ordering": ["id"],
                        "db_table": "cases_notification",
                        "indexes": [
                            models.Index(condition=models.Q(("state", "pending")), fields=["next_attempt_at"], name="notification_pending")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_content_type, relabel_back),
    ]
