from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "satupintu.imports"
    verbose_name = "Impor registri"
