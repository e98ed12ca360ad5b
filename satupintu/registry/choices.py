"""Enumerations of the registry, with Indonesian labels (codes are stable keys)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Relationship(models.TextChoices):
    HEAD = "kepala", _("Kepala keluarga")
    SPOUSE = "pasangan", _("Istri/suami")
    CHILD = "anak", _("Anak")
    CHILD_IN_LAW = "menantu", _("Menantu")
    GRANDCHILD = "cucu", _("Cucu")
    PARENT = "orang_tua", _("Orang tua")
    PARENT_IN_LAW = "mertua", _("Mertua")
    OTHER_FAMILY = "famili", _("Famili lain")
    OTHER = "lainnya", _("Lainnya")


class MaritalStatus(models.TextChoices):
    SINGLE = "belum_kawin", _("Belum kawin")
    MARRIED = "kawin", _("Kawin")
    DIVORCED = "cerai_hidup", _("Cerai hidup")
    WIDOWED = "cerai_mati", _("Cerai mati")


class Education(models.TextChoices):
    NONE = "tidak_sekolah", _("Tidak/belum sekolah")
    SD_NOT_FINISHED = "belum_tamat_sd", _("Belum tamat SD")
    SD = "sd", _("SD/sederajat")
    SMP = "smp", _("SMP/sederajat")
    SMA = "sma", _("SMA/SMK/sederajat")
    DIPLOMA = "diploma", _("Diploma I–III")
    BACHELOR = "s1", _("S1/D4")
    POSTGRAD = "s2_s3", _("S2/S3")


class Disability(models.TextChoices):
    NONE = "tidak_ada", _("Tidak ada")
    PHYSICAL = "fisik", _("Disabilitas fisik")
    INTELLECTUAL = "intelektual", _("Disabilitas intelektual")
    MENTAL = "mental", _("Disabilitas mental")
    SENSORY = "sensorik", _("Disabilitas sensorik")
    MULTIPLE = "ganda", _("Disabilitas ganda")


class SchoolStatus(models.TextChoices):
    NOT_APPLICABLE = "tidak_berlaku", _("Tidak berlaku")
    NOT_YET = "belum_sekolah", _("Belum sekolah")
    SD = "sd", _("Sekolah SD/MI")
    SMP = "smp", _("Sekolah SMP/MTs")
    SMA = "sma", _("Sekolah SMA/SMK/MA")
    UNIVERSITY = "kuliah", _("Kuliah")
    DROPPED_OUT = "putus_sekolah", _("Putus sekolah")
    FINISHED = "tidak_sekolah_lagi", _("Tidak bersekolah lagi")


class HealthInsurance(models.TextChoices):
    NONE = "tidak_ada", _("Tidak punya")
    PBI_JK = "pbi_jk", _("BPJS Kesehatan PBI-JK")
    PBI_APBD = "pbi_apbd", _("BPJS Kesehatan PBI APBD")
    BPJS_MANDIRI = "bpjs_mandiri", _("BPJS Kesehatan mandiri (non-PBI)")
    BPJS_PPU = "bpjs_ppu", _("BPJS Kesehatan pekerja (PPU)")
    ASKES_PNS = "askes", _("Askes/PNS/TNI/Polri")
    JAMKESDA = "jamkesda", _("Jamkesda/Kartu Saraswati")
    OTHER = "lainnya", _("Asuransi lain")


class FloorType(models.TextChoices):
    EARTH = "tanah", _("Tanah")
    BAMBOO_WOOD = "bambu_kayu", _("Bambu/kayu murah")
    CEMENT = "semen", _("Semen/plester")
    TILE = "keramik", _("Keramik/ubin")


class WallType(models.TextChoices):
    BAMBOO = "bambu", _("Bambu/rumbia")
    LOW_WOOD = "kayu_murah", _("Kayu kualitas rendah")
    UNPLASTERED = "tembok_tanpa_plester", _("Tembok tanpa plester")
    BRICK = "tembok", _("Tembok diplester")


class WaterSource(models.TextChoices):
    UNPROTECTED = "tidak_terlindung", _("Sumur/mata air tidak terlindung, sungai, hujan")
    PROTECTED_WELL = "sumur_terlindung", _("Sumur terlindung/pompa")
    PIPED = "ledeng", _("Ledeng/PDAM")
    BOTTLED = "kemasan", _("Air kemasan/isi ulang")


class CookingFuel(models.TextChoices):
    FIREWOOD = "kayu_bakar", _("Kayu bakar/arang/minyak tanah")
    LPG = "lpg", _("Gas/LPG")
    ELECTRIC = "listrik", _("Listrik")


class Electricity(models.TextChoices):
    NONE = "tidak_ada", _("Tidak ada")
    SHARED = "menumpang", _("PLN menumpang/non-PLN")
    PLN_450 = "pln_450", _("PLN 450 VA")
    PLN_900 = "pln_900", _("PLN 900 VA")
    PLN_HIGHER = "pln_lebih", _("PLN > 900 VA")


class Toilet(models.TextChoices):
    NONE = "tidak_ada", _("Tidak ada")
    SHARED = "bersama", _("Bersama/umum")
    OWN = "sendiri", _("Milik sendiri")


class Ownership(models.TextChoices):
    OWN = "milik_sendiri", _("Milik sendiri")
    RENT = "sewa", _("Sewa/kontrak")
    FREE = "bebas_sewa", _("Bebas sewa/menumpang")
    OTHER = "lainnya", _("Lainnya")


class AssessmentMethod(models.TextChoices):
    DTSEN = "dtsen", _("Desil DTSEN")
    BPS14 = "bps14", _("Daftar periksa 14 kriteria BPS")
    LOCAL = "verifikasi_lokal", _("Verifikasi lokal UPT-PK")


class PovertyResult(models.TextChoices):
    POOR = "miskin", _("Miskin")
    VULNERABLE = "rentan", _("Rentan miskin")
    NOT_POOR = "tidak_miskin", _("Tidak miskin")


# The BPS 14 criteria of a poor household (the unit's checklist), key → Indonesian text.
BPS14_CRITERIA = {
    "luas_lantai": _("Luas lantai kurang dari 8 m² per orang"),
    "lantai_tanah": _("Lantai tanah/bambu/kayu murahan"),
    "dinding_buruk": _("Dinding bambu/rumbia/kayu rendah/tembok tanpa plester"),
    "tanpa_jamban": _("Tidak punya jamban sendiri/bersama dengan rumah tangga lain"),
    "tanpa_listrik": _("Penerangan bukan listrik"),
    "air_tidak_terlindung": _("Air minum dari sumur/mata air tidak terlindung, sungai, hujan"),
    "kayu_bakar": _("Memasak dengan kayu bakar/arang/minyak tanah"),
    "jarang_daging": _("Makan daging/susu/ayam paling banyak sekali seminggu"),
    "satu_pakaian": _("Membeli satu stel pakaian baru paling banyak sekali setahun"),
    "dua_kali_makan": _("Makan paling banyak dua kali sehari"),
    "tak_mampu_berobat": _("Tidak sanggup membayar pengobatan di puskesmas/poliklinik"),
    "penghasilan_rendah": _("Penghasilan kepala rumah tangga < Rp 600.000/bulan atau buruh berupah rendah"),
    "pendidikan_rendah": _("Pendidikan kepala rumah tangga tidak sekolah/tidak tamat SD/hanya SD"),
    "tanpa_tabungan": _("Tidak punya tabungan/barang mudah dijual ≥ Rp 500.000"),
}


class DeathSource(models.TextChoices):
    DESA_REPORT = "laporan_desa", _("Laporan desa")
    DUKCAPIL = "dukcapil", _("Ekstrak Dukcapil")
    HOSPITAL = "rumah_sakit", _("Surat rumah sakit")
    OTHER = "lainnya", _("Lainnya")
