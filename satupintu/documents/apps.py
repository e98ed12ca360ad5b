from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "satupintu.documents"
    verbose_name = _("Dokumen resmi")

    def ready(self):
        from . import scans  # noqa: F401  a saved document's facts are written to the shared cache
