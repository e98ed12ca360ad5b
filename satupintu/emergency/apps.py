from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmergencyConfig(AppConfig):
    name = "satupintu.emergency"
    verbose_name = _("Layanan segera: ambulans dan klinik")
