from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "satupintu.documents"
    verbose_name = _("Dokumen resmi")
