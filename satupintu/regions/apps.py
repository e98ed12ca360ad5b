from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "satupintu.regions"
    verbose_name = _("Wilayah")

    def ready(self):
        from . import versions  # noqa: F401  a saved or deleted region sets a new regions version
