"""Dated values that are superseded, never edited, and the deployment's rule parameter values."""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TakenEffect(PermissionDenied):
    """A dated value whose start date has come has been applied to cases and rules: it is never
    changed or deleted, only superseded by a new row with a later start date. A view that meets
    this answers 403 like any refused permission."""


REFUSAL = _(
    "Nilai yang sudah berlaku tidak dapat diubah atau dihapus; tambahkan baris baru dengan tanggal mulai berikutnya."
)


class DatedQuerySet(models.QuerySet):
    def taken_effect(self):
        return self.filter(valid_from__lte=timezone.localdate())

    def upcoming(self):
        return self.filter(valid_from__gt=timezone.localdate())

    def refuse_taken_effect(self) -> None:
        if self.taken_effect().exists():
            raise TakenEffect(REFUSAL)

    def update(self, **kwargs):
        self.refuse_taken_effect()
        return super().update(**kwargs)

    def delete(self):
        self.refuse_taken_effect()
        return super().delete()


class Superseded:
    """A row valid from a date on (`valid_from`), guarded by DatedQuerySet: what the database holds
    decides, so moving `valid_from` into the future in memory does not unlock a row in force."""

    def has_taken_effect(self) -> bool:
        return self.valid_from <= timezone.localdate()

    def save(self, *args, **kwargs):
        if self.pk is not None:
            type(self).objects.filter(pk=self.pk).refuse_taken_effect()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        type(self).objects.filter(pk=self.pk).refuse_taken_effect()
        return super().delete(*args, **kwargs)


class ParameterValue(Superseded, models.Model):
    """A deployment's change to a rule parameter from a date on (see `satupintu/parameters/__init__.py`)."""

    name = models.SlugField(_("parameter"), max_length=60)
    value = models.JSONField(_("nilai"))
    valid_from = models.DateField(_("berlaku sejak"))
    legal_source = models.CharField(_("dasar hukum/sumber"), max_length=250)

    objects = DatedQuerySet.as_manager()

    class Meta:
        # The table it was created with in the catalogue, where it lived before it became the
        # foundation that the registry and the catalogue both read.
        db_table = "catalogue_parametervalue"
        ordering = ["name", "-valid_from"]
        verbose_name = _("parameter aturan")
        verbose_name_plural = _("parameter aturan")
        constraints = [models.UniqueConstraint(fields=["name", "valid_from"], name="one_parameter_value_per_date")]

    def __str__(self) -> str:
        return f"{self.name} = {self.value} ({self.valid_from})"
