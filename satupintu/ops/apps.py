from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "satupintu.ops"
    verbose_name = _("Tugas latar belakang")

    def ready(self):
        from .schedules import ensure_schedules

        # After every `migrate`: each periodic job is a django-q schedule, created once. (Sent per app
        # with models; django_q's Schedule table is the one needed.)
        post_migrate.connect(
            ensure_schedules, sender=apps.get_app_config("django_q"), dispatch_uid="satupintu.ops.ensure_schedules"
        )
