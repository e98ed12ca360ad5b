"""The import layout: one row per person, households keyed by their KK number.

Each column has a canonical key (the template's header), the header aliases the registry's data
sources use, whether it is required, and its enumeration (one of `registry.choices`). Enumeration
cells accept the code, the Indonesian label or an alias, in any case.
"""

import re
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from satupintu.registry import choices as c


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    household: bool = False  # a household-level fact, repeated (or left empty) on each member row
    choices: type[models.TextChoices] | None = None
    extra: dict = field(default_factory=dict)  # alias → code for the enumeration


COLUMNS = [
    Column("no_kk", _("Nomor KK"), ("nomor_kk", "kk", "nokk", "no_kartu_keluarga"), required=True, household=True),
    Column(
        "kode_desa",
        _("Kode desa/kelurahan (Kemendagri)"),
        ("kode_wilayah", "kode_kelurahan", "kd_desa"),
        required=True,
        household=True,
    ),
    Column("alamat", _("Alamat"), ("alamat_rumah", "dusun", "jalan"), required=True, household=True),
    Column("rt", _("RT"), ("no_rt",), required=True, household=True),
    Column("rw", _("RW"), ("no_rw",), required=True, household=True),
    Column("nik", _("NIK"), ("no_nik", "nomor_nik", "nomor_induk_kependudukan")),
    Column("nama", _("Nama lengkap"), ("nama_lengkap", "nama_anggota", "nama_art"), required=True),
    Column(
        "jenis_kelamin",
        _("Jenis kelamin"),
        ("jk", "l_p", "kelamin", "sex"),
        required=True,
        choices=c.Sex,
        extra={
            "laki_laki": "L",
            "laki": "L",
            "pria": "L",
            "lk": "L",
            "1": "L",
            "perempuan": "P",
            "wanita": "P",
            "pr": "P",
            "2": "P",
        },
    ),
    Column("tempat_lahir", _("Tempat lahir"), ("tmp_lahir", "tempat_lhr"), required=True),
    Column("tanggal_lahir", _("Tanggal lahir"), ("tgl_lahir", "tanggal_lhr", "tgl_lhr"), required=True),
    Column(
        "hubungan",
        _("Hubungan dengan kepala keluarga"),
        ("shdk", "hubungan_keluarga", "status_hubungan", "hub_krt", "hubungan_dengan_kk"),
        required=True,
        choices=c.Relationship,
        extra={
            "kepala_keluarga": "kepala",
            "krt": "kepala",
            "istri": "pasangan",
            "suami": "pasangan",
            "istri_suami": "pasangan",
            "orang_tua": "orang_tua",
            "famili_lain": "famili",
            "lainnya": "lainnya",
            "anak_kandung": "anak",
            "anak_tiri": "anak",
            "anak_angkat": "anak",
        },
    ),
    Column(
        "status_perkawinan",
        _("Status perkawinan"),
        ("status_kawin", "perkawinan", "sts_kawin"),
        required=True,
        choices=c.MaritalStatus,
        extra={
            "belum_kawin": "belum_kawin",
            "kawin_tercatat": "kawin",
            "kawin_belum_tercatat": "kawin",
            "cerai_hidup": "cerai_hidup",
            "cerai_mati": "cerai_mati",
        },
    ),
    Column(
        "pendidikan",
        _("Pendidikan terakhir"),
        ("pendidikan_terakhir", "ijazah"),
        required=True,
        choices=c.Education,
        extra={
            "tidak_belum_sekolah": "tidak_sekolah",
            "belum_sekolah": "tidak_sekolah",
            "sd_sederajat": "sd",
            "smp_sederajat": "smp",
            "sltp": "smp",
            "sma_sederajat": "sma",
            "slta": "sma",
            "smk": "sma",
            "d1": "diploma",
            "d2": "diploma",
            "d3": "diploma",
            "d4": "s1",
            "s2": "s2_s3",
            "s3": "s2_s3",
        },
    ),
    Column("pekerjaan", _("Pekerjaan"), ("jenis_pekerjaan", "pekerjaan_utama")),
    Column(
        "disabilitas",
        _("Disabilitas"),
        ("jenis_disabilitas", "cacat"),
        choices=c.Disability,
        extra={"tidak": "tidak_ada", "": "tidak_ada"},
    ),
    Column(
        "status_sekolah",
        _("Status sekolah"),
        ("partisipasi_sekolah", "sekolah"),
        choices=c.SchoolStatus,
        extra={
            "sd_mi": "sd",
            "smp_mts": "smp",
            "sma_smk_ma": "sma",
            "masih_sd": "sd",
            "masih_smp": "smp",
            "masih_sma": "sma",
        },
    ),
    Column(
        "jaminan_kesehatan",
        _("Jaminan kesehatan"),
        ("jamkes", "asuransi_kesehatan", "bpjs"),
        choices=c.HealthInsurance,
        extra={
            "tidak": "tidak_ada",
            "pbi": "pbi_jk",
            "kis": "pbi_jk",
            "kis_pbi": "pbi_jk",
            "bpjs_pbi": "pbi_jk",
            "mandiri": "bpjs_mandiri",
            "ppu": "bpjs_ppu",
            "askes_pns_tni_polri": "askes",
            "pns": "askes",
            "tni": "askes",
            "polri": "askes",
        },
    ),
    Column("no_hp", _("Nomor HP"), ("hp", "telepon", "no_telp", "nomor_hp")),
    Column("desil", _("Desil DTSEN (1–10)"), ("desil_dtsen", "peringkat_desil", "desil_kesejahteraan"), household=True),
    Column("luas_lantai", _("Luas lantai (m²)"), ("luas_lantai_m2",), household=True),
    Column("jenis_lantai", _("Jenis lantai"), ("lantai",), household=True, choices=c.FloorType),
    Column("jenis_dinding", _("Jenis dinding"), ("dinding",), household=True, choices=c.WallType),
    Column("jamban", _("Jamban"), ("fasilitas_bab", "toilet"), household=True, choices=c.Toilet),
    Column("listrik", _("Listrik"), ("sumber_penerangan", "penerangan"), household=True, choices=c.Electricity),
    Column(
        "sumber_air", _("Sumber air minum"), ("sumber_air_minum", "air_minum"), household=True, choices=c.WaterSource
    ),
    Column("bahan_bakar", _("Bahan bakar memasak"), ("bahan_bakar_memasak",), household=True, choices=c.CookingFuel),
    Column(
        "status_rumah",
        _("Status rumah"),
        ("kepemilikan_rumah", "status_kepemilikan"),
        household=True,
        choices=c.Ownership,
    ),
]
BY_KEY = {column.key: column for column in COLUMNS}


def normalise(text) -> str:
    """'Tgl. Lahir' → 'tgl_lahir': lower case, every run of other characters one underscore."""
    return re.sub(r"[^0-9a-z]+", "_", str(text or "").strip().lower()).strip("_")


HEADER_ALIASES = {normalise(alias): column.key for column in COLUMNS for alias in (column.key, *column.aliases)}


def enumeration_map(column: Column) -> dict[str, str]:
    """Every accepted spelling (normalised) → code."""
    mapping = {}
    for code, label in column.choices.choices:
        mapping[normalise(code)] = code
        mapping[normalise(str(label))] = code
    mapping.update({normalise(k): v for k, v in column.extra.items()})
    return mapping


ENUMERATIONS = {column.key: enumeration_map(column) for column in COLUMNS if column.choices}
