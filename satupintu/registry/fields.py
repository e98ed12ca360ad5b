"""The registry's household and person fields, declared once.

Each fact the registry records about a household or a person is one `RegistryField`: its model
attribute and what its model field does not say — the import layout's column key, the headers
other data sources give that column, their spellings of its codes, whether the web form edits it
and whether the API writes it. Label, required, choices, default, nullability and length are read
from the model field. The web forms, the API serializers, the audit snapshots, the import layout,
its validation, the loader's column lists and the demo generator derive their lists from here;
`tests/registry/test_fields.py` checks that each one does.

Model fields that are no such fact are in `EXCLUDED`, each with the reason.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import Household, Person


@dataclass(frozen=True)
class RegistryField:
    model: type[models.Model]
    name: str
    import_key: str | None = None  # the import layout's column; None: not imported
    aliases: tuple[str, ...] = ()  # other headers data sources give that column
    spellings: dict[str, str] = field(default_factory=dict, hash=False)  # a data source's spelling → code
    import_label: str | None = None  # the template's label, when not the model field's
    form: bool = True  # the web form edits it
    api_writable: bool = True  # the API writes it (else read-only)

    @cached_property
    def model_field(self) -> models.Field:
        return self.model._meta.get_field(self.name)

    @property
    def column(self) -> str:
        """The database column (`desa_id` for `desa`), as bulk SQL and audit snapshots name it."""
        return self.model_field.attname

    @property
    def label(self):
        return self.import_label or capfirst(self.model_field.verbose_name)

    @property
    def required(self) -> bool:
        """An import row must fill it: the model allows no blank and has no default for it."""
        return not self.model_field.blank and not self.model_field.has_default()

    @property
    def default(self):
        """What a new row gets for a blank cell (None: no default)."""
        return self.model_field.default if self.model_field.has_default() else None

    @property
    def null(self) -> bool:
        return self.model_field.null

    @property
    def max_length(self) -> int | None:
        return self.model_field.max_length

    @property
    def choices(self) -> list[tuple[str, str]]:
        return list(self.model_field.choices or ())

    @property
    def is_free_text(self) -> bool:
        """Text the model checks by its length alone: no enumeration, no format."""
        f = self.model_field
        return (
            isinstance(f, models.CharField)
            and not f.choices
            and all(isinstance(v, MaxLengthValidator) for v in f.validators)
        )

    @property
    def is_integer(self) -> bool:
        return isinstance(self.model_field, models.IntegerField)


def _household(name: str, import_key: str, *aliases: str, **options) -> RegistryField:
    return RegistryField(Household, name, import_key, aliases, **options)


def _person(name: str, import_key: str | None, *aliases: str, **options) -> RegistryField:
    return RegistryField(Person, name, import_key, aliases, **options)


# Where the household is: the import layout puts these first, before the person's columns.
LOCATION = (
    _household("kk_number", "no_kk", "nomor_kk", "kk", "nokk", "no_kartu_keluarga"),
    _household(
        "desa",
        "kode_desa",
        "kode_wilayah",
        "kode_kelurahan",
        "kd_desa",
        import_label=_("Kode desa/kelurahan (Kemendagri)"),
    ),
    _household("address", "alamat", "alamat_rumah", "dusun", "jalan"),
    _household("rt", "rt", "no_rt"),
    _household("rw", "rw", "no_rw"),
)
# Housing indicators (BPS checklist, RTLH): the import layout puts these last, after the desil.
HOUSING = (
    _household("floor_area_m2", "luas_lantai", "luas_lantai_m2"),
    _household("floor_type", "jenis_lantai", "lantai"),
    _household("wall_type", "jenis_dinding", "dinding"),
    _household("toilet", "jamban", "fasilitas_bab", "toilet"),
    _household("electricity", "listrik", "sumber_penerangan", "penerangan"),
    _household("water_source", "sumber_air", "sumber_air_minum", "air_minum"),
    _household("cooking_fuel", "bahan_bakar", "bahan_bakar_memasak"),
    _household("ownership", "status_rumah", "kepemilikan_rumah", "status_kepemilikan"),
)
HOUSEHOLD_FIELDS = (*LOCATION, *HOUSING)

PERSON_FIELDS = (
    _person("nik", "nik", "no_nik", "nomor_nik", "nomor_induk_kependudukan"),
    _person("name", "nama", "nama_lengkap", "nama_anggota", "nama_art"),
    _person(
        "sex",
        "jenis_kelamin",
        "jk",
        "l_p",
        "kelamin",
        "sex",
        spellings={
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
    ),  # fmt: skip
    _person("birth_place", "tempat_lahir", "tmp_lahir", "tempat_lhr"),
    _person("birth_date", "tanggal_lahir", "tgl_lahir", "tanggal_lhr", "tgl_lhr"),
    # The import takes the household from the row's KK number; the form from the page it is on.
    _person("household", None, form=False, api_writable=False),
    _person(
        "relationship",
        "hubungan",
        "shdk",
        "hubungan_keluarga",
        "status_hubungan",
        "hub_krt",
        "hubungan_dengan_kk",
        spellings={
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
    ),  # fmt: skip
    _person(
        "marital_status",
        "status_perkawinan",
        "status_kawin",
        "perkawinan",
        "sts_kawin",
        spellings={
            "belum_kawin": "belum_kawin",
            "kawin_tercatat": "kawin",
            "kawin_belum_tercatat": "kawin",
            "cerai_hidup": "cerai_hidup",
            "cerai_mati": "cerai_mati",
        },
    ),  # fmt: skip
    _person(
        "education",
        "pendidikan",
        "pendidikan_terakhir",
        "ijazah",
        spellings={
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
    ),  # fmt: skip
    _person("occupation", "pekerjaan", "jenis_pekerjaan", "pekerjaan_utama"),
    _person(
        "disability", "disabilitas", "jenis_disabilitas", "cacat", spellings={"tidak": "tidak_ada", "": "tidak_ada"}
    ),
    _person(
        "school_status",
        "status_sekolah",
        "partisipasi_sekolah",
        "sekolah",
        spellings={
            "sd_mi": "sd",
            "smp_mts": "smp",
            "sma_smk_ma": "sma",
            "masih_sd": "sd",
            "masih_smp": "smp",
            "masih_sma": "sma",
        },
    ),  # fmt: skip
    _person(
        "health_insurance",
        "jaminan_kesehatan",
        "jamkes",
        "asuransi_kesehatan",
        "bpjs",
        spellings={
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
    ),  # fmt: skip
    _person("phone", "no_hp", "hp", "telepon", "no_telp", "nomor_hp"),
)

# Concrete model fields that are not declared, and why.
EXCLUDED = {
    Household: {
        "id": "the primary key, given by the database",
        "head": "kept by the registry from the member whose relationship is kepala; never entered",
        "created_at": "set when the row is written",
        "updated_at": "set when the row is written",
        "poverty_result": "the latest valid assessment's result, kept by registry/status.py",
        "poverty_method": "the latest valid assessment's method, kept by registry/status.py",
        "poverty_desil": "the latest valid assessment's desil, kept by registry/status.py",
        "member_count": "the number of current members, kept by registry/status.py",
    },
    Person: {
        "id": "the primary key, given by the database",
        "created_at": "set when the row is written",
        "updated_at": "set when the row is written",
    },
}


def form_fields(fields) -> list[str]:
    """The web form's Meta.fields."""
    return [f.name for f in fields if f.form]


def api_fields(fields) -> list[str]:
    """The serializer's fields for the declared facts (every one is exposed)."""
    return [f.name for f in fields]


def api_read_only(fields) -> list[str]:
    return [f.name for f in fields if not f.api_writable]


def columns(fields) -> list[str]:
    """Database columns of the declared facts, in declaration order (audit snapshots, the demo)."""
    return [f.column for f in fields]


def imported(fields) -> list[RegistryField]:
    """The fields that are columns of the import layout."""
    return [f for f in fields if f.import_key]


def copy_columns(fields) -> list[str]:
    """Database columns the import writes from staged rows (staging table columns of the same name)."""
    return [f.column for f in imported(fields)]
