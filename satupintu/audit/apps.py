from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "satupintu.audit"
    verbose_name = "Jejak audit"
