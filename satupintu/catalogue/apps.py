from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "satupintu.catalogue"
    verbose_name = _("Katalog layanan")

    def ready(self):
        from . import versions  # noqa: F401  (a catalogue row saved or deleted sets a new version)
