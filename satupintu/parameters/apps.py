from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParametersConfig(AppConfig):
    name = "satupintu.parameters"
    verbose_name = _("Parameter aturan")
