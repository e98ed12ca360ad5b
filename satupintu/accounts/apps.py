from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "satupintu.accounts"
    verbose_name = "Akun"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import two_factor

        user_logged_in.connect(two_factor.on_login, dispatch_uid="satupintu.accounts.steps")
