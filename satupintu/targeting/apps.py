from django.apps import AppConfig


class TargetingConfig(AppConfig):
    name = "satupintu.targeting"
    verbose_name = "Penetapan sasaran"
