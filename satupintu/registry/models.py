from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from satupintu.lib.nik import mask_nik

from . import choices as c

digits16 = RegexValidator(r"^[0-9]{16}$", _("Harus 16 digit angka."))
rt_rw = RegexValidator(r"^[0-9]{1,3}$", _("RT/RW berupa angka 1–3 digit."))
phone = RegexValidator(r"^(\+62|62|0)8[0-9]{7,11}$", _("Nomor HP tidak sah; contoh: 081234567890."))


class Household(models.Model):
    """A household with a permanent internal id; the KK number may change and keeps its history."""

    kk_number = models.CharField(_("nomor KK"), max_length=16, unique=True, validators=[digits16])
    head = models.ForeignKey(
        "Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("kepala keluarga")
    )
    desa = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="households", verbose_name=_("desa/kelurahan")
    )
    address = models.CharField(_("alamat"), max_length=250)
    rt = models.CharField(_("RT"), max_length=3, validators=[rt_rw])
    rw = models.CharField(_("RW"), max_length=3, validators=[rt_rw])
    # Housing indicators (used by the BPS checklist and RTLH).
    floor_area_m2 = models.PositiveIntegerField(_("luas lantai (m²)"), null=True, blank=True)
    floor_type = models.CharField(_("jenis lantai"), max_length=20, choices=c.FloorType.choices, blank=True)
    wall_type = models.CharField(_("jenis dinding"), max_length=25, choices=c.WallType.choices, blank=True)
    toilet = models.CharField(_("jamban"), max_length=12, choices=c.Toilet.choices, blank=True)
    electricity = models.CharField(_("listrik"), max_length=12, choices=c.Electricity.choices, blank=True)
    water_source = models.CharField(_("sumber air minum"), max_length=20, choices=c.WaterSource.choices, blank=True)
    cooking_fuel = models.CharField(_("bahan bakar memasak"), max_length=12, choices=c.CookingFuel.choices, blank=True)
    ownership = models.CharField(_("status rumah"), max_length=15, choices=c.Ownership.choices, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    # The current status: the latest valid assessment's result, method and desil, and the number of
    # current members, kept by every write that changes them (registry/status.py).
    poverty_result = models.CharField(
        _("status kesejahteraan"), max_length=15, choices=c.PovertyResult.choices, null=True, editable=False
    )
    poverty_method = models.CharField(
        _("metode penilaian"), max_length=20, choices=c.AssessmentMethod.choices, null=True, editable=False
    )
    poverty_desil = models.PositiveSmallIntegerField(_("desil"), null=True, editable=False)
    member_count = models.PositiveIntegerField(_("jumlah anggota"), db_default=0, editable=False)

    class Meta:
        verbose_name = _("rumah tangga")
        verbose_name_plural = _("rumah tangga")
        indexes = [models.Index(fields=["desa", "id"]), models.Index(fields=["poverty_result", "desa", "id"])]

    def __str__(self) -> str:
        return f"RT-{self.pk:07d}" if self.pk else "RT-baru"

    @property
    def reference(self) -> str:
        return str(self)


class KKNumber(models.Model):
    """Every KK number a household has carried, with when and why it changed."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="kk_history")
    number = models.CharField(_("nomor KK"), max_length=16, validators=[digits16], db_index=True)
    valid_from = models.DateField(_("berlaku sejak"))
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True)
    reason = models.CharField(_("alasan"), max_length=200, blank=True)

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = _("riwayat nomor KK")
        verbose_name_plural = _("riwayat nomor KK")

    def __str__(self) -> str:
        return f"{self.number} ({self.valid_from} – {self.valid_to or '…'})"


class Person(models.Model):
    nik = models.CharField(_("NIK"), max_length=16, unique=True, null=True, blank=True, validators=[digits16])
    name = models.CharField(_("nama lengkap"), max_length=150, db_index=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=c.Sex.choices)
    birth_place = models.CharField(_("tempat lahir"), max_length=100)
    birth_date = models.DateField(_("tanggal lahir"))
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
        verbose_name=_("rumah tangga"),
    )
    relationship = models.CharField(_("hubungan dengan kepala keluarga"), max_length=12, choices=c.Relationship.choices)
    marital_status = models.CharField(_("status perkawinan"), max_length=12, choices=c.MaritalStatus.choices)
    education = models.CharField(_("pendidikan terakhir"), max_length=15, choices=c.Education.choices)
    occupation = models.CharField(_("pekerjaan"), max_length=100, blank=True)
    disability = models.CharField(
        _("disabilitas"), max_length=12, choices=c.Disability.choices, default=c.Disability.NONE
    )
    school_status = models.CharField(
        _("status sekolah"), max_length=20, choices=c.SchoolStatus.choices, default=c.SchoolStatus.NOT_APPLICABLE
    )
    health_insurance = models.CharField(
        _("jaminan kesehatan"), max_length=15, choices=c.HealthInsurance.choices, default=c.HealthInsurance.NONE
    )
    phone = models.CharField(_("nomor HP"), max_length=15, blank=True, validators=[phone])
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        ordering = ["household_id", "birth_date", "id"]
        # Without a NIK is NULL; an empty string would be one more value of the unique index.
        constraints = [models.CheckConstraint(condition=~models.Q(nik=""), name="registry_person_nik_not_blank")]
        verbose_name = _("anggota")
        verbose_name_plural = _("anggota")

    def __str__(self) -> str:
        return self.name

    @property
    def masked_nik(self) -> str:
        return mask_nik(self.nik)


class Membership(models.Model):
    """History of which household a person belonged to, and in which relationship."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="membership_history")
    relationship = models.CharField(_("hubungan"), max_length=12, choices=c.Relationship.choices)
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"), null=True, blank=True)
    reason = models.CharField(_("alasan"), max_length=200, blank=True)

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("riwayat keanggotaan")
        verbose_name_plural = _("riwayat keanggotaan")
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(end__isnull=True), name="one_open_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ∈ {self.household_id} ({self.start} – {self.end or '…'})"


class PovertyAssessment(models.Model):
    """One assessment of a household's welfare; the latest valid one gives its current status."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="assessments")
    method = models.CharField(_("metode"), max_length=20, choices=c.AssessmentMethod.choices)
    desil = models.PositiveSmallIntegerField(
        _("desil"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    answers = models.JSONField(_("jawaban daftar periksa"), default=dict, blank=True)
    score = models.DecimalField(_("skor"), max_digits=6, decimal_places=2, null=True, blank=True)
    result = models.CharField(_("hasil"), max_length=15, choices=c.PovertyResult.choices)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("penilai")
    )
    source = models.CharField(
        _("sumber"), max_length=100, blank=True, help_text=_("mis. DTSEN 2025, verifikasi lapangan")
    )
    assessed_on = models.DateField(_("tanggal penilaian"))
    is_valid = models.BooleanField(_("berlaku"), default=True)
    invalidated_reason = models.CharField(_("alasan dibatalkan"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("penilaian kemiskinan")
        verbose_name_plural = _("penilaian kemiskinan")
        indexes = [models.Index(fields=["household", "is_valid", "-assessed_on"])]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.assessed_on}: {self.get_result_display()}"


class Death(models.Model):
    """A resident's death as recorded by the unit: the person's membership closes on recording it."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="death", verbose_name=_("almarhum"))
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="deaths", verbose_name=_("rumah tangga saat meninggal")
    )
    died_on = models.DateField(_("tanggal meninggal"))
    source = models.CharField(_("sumber"), max_length=15, choices=c.DeathSource.choices)
    reference = models.CharField(
        _("nomor/keterangan sumber"),
        max_length=100,
        blank=True,
        help_text=_("mis. nomor akta kematian atau surat desa"),
    )
    note = models.TextField(_("catatan"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("dicatat oleh")
    )
    recorded_at = models.DateTimeField(_("dicatat"), auto_now_add=True)
    # One key per rendered form: the same form sent again finds this record instead of a second one.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-died_on", "-id"]
        verbose_name = _("kematian")
        verbose_name_plural = _("kematian")

    def __str__(self) -> str:
        return f"{self.person} († {self.died_on:%d-%m-%Y})"
