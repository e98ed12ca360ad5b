import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from satupintu.lib.indonesian import mask_name

from . import placeholders


class Kind(models.TextChoices):
    LETTER = "surat", _("Surat rekomendasi")
    SARASWATI = "saraswati", _("Kartu Saraswati")
    SINTAWATI = "sintawati", _("Kartu Sintawati")


class Tier(models.TextChoices):
    """Kartu Saraswati tiers (flower names); each has its own number series."""

    MELATI = "melati", _("Melati — dalam basis data kemiskinan nasional")
    MENUR = "menur", _("Menur — miskin hasil verifikasi UPT-PK")
    KENANGA = "kenanga", _("Kenanga — tidak miskin, tanpa jaminan kesehatan")


class Status(models.TextChoices):
    VALID = "valid", _("Berlaku")
    REVOKED = "revoked", _("Dicabut")
    EXPIRED = "expired", _("Kedaluwarsa")


class DocumentSettings(models.Model):
    """Letterhead, signer and numbering schemes: one row, edited by an admin."""

    government = models.CharField(_("baris pemerintah"), max_length=120, default="PEMERINTAH KABUPATEN SRAGEN")
    unit_name = models.CharField(
        _("nama unit"), max_length=200, default="UNIT PELAYANAN TERPADU PENANGGULANGAN KEMISKINAN (UPT-PK)"
    )
    unit_short = models.CharField(_("nama unit singkat"), max_length=60, default="UPT-PK")
    regency = models.CharField(_("kabupaten"), max_length=60, default="Kabupaten Sragen")
    address = models.CharField(
        _("alamat"), max_length=250, default="Jl. Raya Sukowati No. 255, Sragen, Jawa Tengah 57212"
    )
    contact = models.CharField(_("telepon/surel"), max_length=200, blank=True, default="Telp. (0271) 891000")
    place = models.CharField(_("tempat penandatanganan"), max_length=60, default="Sragen")
    unit_code = models.CharField(
        _("kode unit pada nomor surat"),
        max_length=30,
        default="UPT-PK",
        validators=[placeholders.validate_number_scheme_literal],
    )
    letter_number_scheme = models.CharField(
        _("skema nomor surat"),
        max_length=120,
        default="{klasifikasi}/{urut}/{unit}.{jenis}/{bulan_romawi}/{tahun}",
        validators=[placeholders.validate_number_scheme],
    )
    card_number_scheme = models.CharField(
        _("skema nomor kartu"),
        max_length=120,
        default="{seri}.{tahun}.{urut}",
        validators=[placeholders.validate_number_scheme],
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("penandatangan"),
        help_text=_("Nama, jabatan dan NIP diambil dari akun ini; kosong: petugas yang menerbitkan."),
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("pengaturan dokumen")
        verbose_name_plural = _("pengaturan dokumen")

    def __str__(self) -> str:
        return str(_("Kop surat dan penomoran"))

    @classmethod
    def current(cls) -> "DocumentSettings":
        row = cls.objects.select_related("signer").order_by("pk").first()
        return row or cls.objects.create()


class LetterTemplate(models.Model):
    """Text of one letter-producing service. Issued letters keep a copy, so editing changes only new ones."""

    service_code = models.SlugField(_("kode layanan"), max_length=40, unique=True)
    title = models.CharField(_("nama layanan"), max_length=150)
    subject = models.CharField(_("perihal"), max_length=200, validators=[placeholders.validate_letter_body])
    abbreviation = models.CharField(
        _("singkatan"),
        max_length=12,
        unique=True,
        help_text=_("Singkatan jenis surat pada nomor surat, mis. RJK."),
        validators=[placeholders.validate_number_scheme_literal],
    )
    classification = models.CharField(
        _("kode klasifikasi"),
        max_length=20,
        help_text=_("Kode klasifikasi arsip pada nomor surat, mis. 440."),
        validators=[placeholders.validate_number_scheme_literal],
    )
    default_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("instansi tujuan biasa")
    )
    opening = models.TextField(_("pembuka"), validators=[placeholders.validate_letter_body])
    body = models.TextField(_("isi"), validators=[placeholders.validate_letter_body])
    closing = models.TextField(_("penutup"), validators=[placeholders.validate_letter_body])
    is_active = models.BooleanField(_("aktif"), default=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        ordering = ["service_code"]
        verbose_name = _("templat surat")
        verbose_name_plural = _("templat surat")

    def __str__(self) -> str:
        return self.title


class Counter(models.Model):
    """The last number given in one series and year. Its row is locked while a number is taken.

    A series is the number scheme filled in with everything but the sequence and the month
    ("440/#/UPT-PK.RJK//2026"), so two numbers can only be equal if their sequences are: whatever
    scheme an admin sets, numbers stay unique, and each series runs without gaps."""

    series = models.CharField(_("seri"), max_length=150)
    year = models.PositiveSmallIntegerField(_("tahun"))
    last = models.PositiveIntegerField(_("nomor terakhir"), default=0)

    class Meta:
        verbose_name = _("penghitung nomor")
        verbose_name_plural = _("penghitung nomor")
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="one_counter_per_series_year")]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last}"


class DocumentQuerySet(models.QuerySet):
    def current(self, today: dt.date):
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=today)
        )


class IssuedDocument(models.Model):
    """A letter or card as issued: its number, the exact PDF bytes and what it was rendered from."""

    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    service_code = models.SlugField(_("kode layanan"), max_length=40)
    title = models.CharField(_("judul"), max_length=200)
    number = models.CharField(_("nomor"), max_length=80, unique=True)
    series = models.CharField(_("seri"), max_length=150)
    year = models.PositiveSmallIntegerField(_("tahun"))
    sequence = models.PositiveIntegerField(_("nomor urut"))
    token = models.CharField(_("token verifikasi"), max_length=40, unique=True)
    tier = models.CharField(_("kategori"), max_length=10, choices=Tier.choices, blank=True)
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="documents", verbose_name=_("rumah tangga")
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("orang"),
    )
    addressee = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("instansi tujuan")
    )
    subject_name = models.CharField(_("nama"), max_length=150)
    issued_on = models.DateField(_("tanggal terbit"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    issued_at = models.DateTimeField(_("waktu terbit"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("diterbitkan oleh")
    )
    content = models.JSONField(_("isi yang dicetak"), help_text=_("Salinan teks dan data saat terbit."))
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    signature = models.CharField(_("tanda tangan elektronik"), max_length=100)
    qr_text = models.CharField(_("isi kode QR"), max_length=400)
    source_type = models.CharField(_("jenis sumber"), max_length=60, blank=True)
    source_id = models.CharField(_("ID sumber"), max_length=60, blank=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicabut oleh"),
    )
    revoke_reason = models.CharField(_("alasan pencabutan"), max_length=250, blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("menggantikan"),
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("dokumen terbit")
        verbose_name_plural = _("dokumen terbit")
        constraints = [
            models.UniqueConstraint(fields=["series", "year", "sequence"], name="one_document_per_sequence"),
        ]
        indexes = [
            models.Index(fields=["household", "-issued_at"]),
            models.Index(fields=["source_type", "source_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def is_card(self) -> bool:
        return self.kind != Kind.LETTER

    @property
    def masked_name(self) -> str:
        return mask_name(self.subject_name)

    def status_on(self, today: dt.date) -> str:
        if self.revoked_at:
            return Status.REVOKED
        if self.valid_until and self.valid_until < today:
            return Status.EXPIRED
        return Status.VALID

    def get_status_on_display(self, today: dt.date) -> str:
        return Status(self.status_on(today)).label


class Scan(models.Model):
    """The openings of the public verification page by one reader (address) of one document (or of
    an unknown code) on one day, with the status shown: the first opening makes the row, the next
    ones only count in it, so anonymous traffic adds at most one row per reader, code and day."""

    document = models.ForeignKey(IssuedDocument, on_delete=models.CASCADE, null=True, blank=True, related_name="scans")
    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    day = models.DateField(_("tanggal"), null=True)
    count = models.PositiveIntegerField(_("jumlah pemindaian"), default=1)
    status = models.CharField(_("status saat dipindai"), max_length=10, blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    user_agent = models.CharField(_("peramban"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["document", "day"], name="scan_document_day")]
        verbose_name = _("pemindaian")
        verbose_name_plural = _("pemindaian")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.document_id or '?'} {self.status}"
