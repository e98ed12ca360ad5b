from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RaskinConfig(AppConfig):
    name = "satupintu.raskin"
    verbose_name = _("Penyaluran raskin")
