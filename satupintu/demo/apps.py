from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "satupintu.demo"
