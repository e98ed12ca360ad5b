from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JusticeConfig(AppConfig):
    name = "satupintu.justice"
    verbose_name = _("Keadilan layanan dan laporan")
