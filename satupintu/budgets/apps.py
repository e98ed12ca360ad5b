from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "satupintu.budgets"
    verbose_name = _("Anggaran dan program")
