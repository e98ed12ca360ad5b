from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "satupintu.registry"
    verbose_name = "Registri rumah tangga"
