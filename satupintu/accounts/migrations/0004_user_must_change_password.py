from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_reference_agencies")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="must_change_password",
            field=models.BooleanField(
                default=False,
                help_text="Diatur saat admin memberi kata sandi sementara; pengguna harus menggantinya saat masuk.",
                verbose_name="wajib ganti kata sandi",
            ),
        ),
    ]
