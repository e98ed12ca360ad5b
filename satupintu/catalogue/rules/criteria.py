"""Small named criteria, each defined once: a `Check` evaluates one applicant's facts in Python
(`Criterion` with its Indonesian explanation) and, where it reads registry facts only, carries the
same test as a SQL condition over those facts as columns, for a whole-registry run (`batch.py`).
The rule cases run both forms (tests/catalogue/test_rule_cases.py).
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from satupintu import parameters as p
from satupintu.registry.choices import HealthInsurance


@dataclass(frozen=True)
class Criterion:
    name: str
    met: bool
    explanation: str


@dataclass(frozen=True)
class Derived:
    """A list a criterion's SQL reads, made in Python from a column's distinct values: those for
    which `keep(value, on)` holds. The batch reads a few hundred occupations this way, not a million
    people, and reads each one exactly as the Python criterion does."""

    column: str
    keep: Callable[[str, dt.date], bool]
    parameters: tuple[str, ...]  # the dated parameters `keep` reads


@dataclass(frozen=True)
class Check:
    """A named criterion. `sql` is None where the criterion reads what only an application holds
    (IPK, date of death, a card); otherwise a condition over the facts' names as columns
    (`batch.FACT_COLUMNS`), never NULL, with `%(name)s` for a dated parameter or a `derived` list."""

    name: str
    evaluate: Callable[[dict, dt.date], Criterion]
    sql: str | None = None
    derived: dict[str, Derived] = field(default_factory=dict)

    def __call__(self, facts: dict, on: dt.date) -> Criterion:
        return self.evaluate(facts, on)

    @property
    def parameters(self) -> tuple[str, ...]:
        """The dated parameters the SQL form reads, its derived lists' included."""
        names = dict.fromkeys(re.findall(r"%\((\w+)\)s", self.sql or ""))
        for name, derived in self.derived.items():
            names.pop(name, None)
            names.update(dict.fromkeys(derived.parameters))
        return tuple(names)


def criterion(name: str, sql: str | None = None, derived: dict[str, Derived] | None = None):
    """Make the decorated `function(facts, on) -> Criterion` the Python form of criterion `name`."""

    def make(function) -> Check:
        return Check(name, function, sql, derived or {})

    return make


@dataclass
class RuleResult:
    service: str
    eligible: bool
    criteria: list[Criterion]
    tier: str | None = None
    amount: int | None = None
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "service": self.service,
            "eligible": self.eligible,
            "tier": self.tier,
            "amount": self.amount,
            "criteria": [{"name": c.name, "met": c.met, "explanation": c.explanation} for c in self.criteria],
        }


def poverty_class(facts: dict, on: dt.date) -> str | None:
    """miskin / rentan / tidak_miskin from the registry's latest assessment, or None when unassessed."""
    method, desil, score = facts.get("poverty_method"), facts.get("desil"), facts.get("bps14_score")
    if method == "dtsen" and desil is not None:
        if desil <= p.value("dtsen_poor_desil_max", on):
            return "miskin"
        return "rentan" if desil <= p.value("dtsen_vulnerable_desil_max", on) else "tidak_miskin"
    if method == "bps14" and score is not None:
        return "miskin" if score >= p.value("bps14_poor_min", on) else "tidak_miskin"
    return facts.get("poverty_result")


# `poverty_class(...) == "miskin"` as SQL over the same facts (NULL where the Python gives None).
POOR_SQL = (
    "CASE WHEN poverty_method = 'dtsen' AND desil IS NOT NULL THEN desil <= %(dtsen_poor_desil_max)s"
    " WHEN poverty_method = 'bps14' AND bps14_score IS NOT NULL THEN bps14_score >= %(bps14_poor_min)s"
    " ELSE poverty_result = 'miskin' END"
)
# A fact the Python reads with `or "tidak_ada"`: empty and missing are "tidak_ada".
INSURANCE_SQL = "COALESCE(NULLIF(health_insurance, ''), 'tidak_ada')"


@criterion("rumah_tangga_miskin", sql=f"COALESCE({POOR_SQL}, FALSE)")
def household_poor(facts: dict, on: dt.date) -> Criterion:
    result = poverty_class(facts, on)
    if result is None:
        return Criterion("rumah_tangga_miskin", False, _("Rumah tangga belum dinilai kesejahteraannya."))
    source = _source_text(facts, on)
    if result == "miskin":
        return Criterion("rumah_tangga_miskin", True, _("%(source)s — tergolong miskin.") % {"source": source})
    return Criterion("rumah_tangga_miskin", False, _("%(source)s — tidak tergolong miskin.") % {"source": source})


def _source_text(facts: dict, on: dt.date) -> str:
    if facts.get("poverty_method") == "dtsen":
        limit = p.value("dtsen_poor_desil_max", on)
        return _("DTSEN desil %(desil)s (miskin bila desil ≤ %(limit)s)") % {
            "desil": facts.get("desil"),
            "limit": limit,
        }
    if facts.get("poverty_method") == "bps14":
        limit = p.value("bps14_poor_min", on)
        return _("Daftar periksa BPS: %(score)s dari 14 kriteria (miskin bila ≥ %(limit)s)") % {
            "score": facts.get("bps14_score"),
            "limit": limit,
        }
    return _("Verifikasi lokal UPT-PK")


@criterion("terdaftar_dtsen", sql=f"COALESCE(poverty_method = 'dtsen' AND {POOR_SQL}, FALSE)")
def in_national_database(facts: dict, on: dt.date) -> Criterion:
    met = facts.get("poverty_method") == "dtsen" and poverty_class(facts, on) == "miskin"
    text = _("Terdaftar miskin di basis data nasional (DTSEN).") if met else _("Tidak terdaftar miskin di DTSEN.")
    return Criterion("terdaftar_dtsen", met, text)


@criterion("tanpa_jaminan_lain", sql=f"COALESCE({INSURANCE_SQL} NOT IN (%(saraswati_excluded_insurance)s), TRUE)")
def no_other_health_insurance(facts: dict, on: dt.date) -> Criterion:
    excluded = p.value("saraswati_excluded_insurance", on)
    insurance = facts.get("health_insurance") or "tidak_ada"
    if insurance in excluded:
        label = dict(HealthInsurance.choices).get(insurance, insurance)
        text = _("Sudah memiliki jaminan kesehatan lain (%(insurance)s); tidak berhak.") % {"insurance": label}
        return Criterion("tanpa_jaminan_lain", False, text)
    return Criterion("tanpa_jaminan_lain", True, _("Tidak memiliki Askes, BPJS non-PBI atau jaminan lain."))


def civil_servant_pattern(words) -> str:
    """Any of the words as a word (match it ignoring case); the batch rules use it too."""
    return r"\b(" + "|".join(re.escape(word) for word in words) + r")\b"


def civil_servant(occupation: str, on: dt.date) -> bool:
    """The occupation names PNS/ASN/TNI/Polri (`saraswati_excluded_occupations`) as a word, in any case."""
    words = p.value("saraswati_excluded_occupations", on)
    return re.search(civil_servant_pattern(words), occupation or "", flags=re.IGNORECASE) is not None


@criterion(
    "bukan_pns_tni_polri",
    sql="COALESCE(COALESCE(occupation, '') NOT IN (%(civil_servant_occupations)s), TRUE)",
    derived={"civil_servant_occupations": Derived("occupation", civil_servant, ("saraswati_excluded_occupations",))},
)
def not_civil_servant(facts: dict, on: dt.date) -> Criterion:
    occupation = facts.get("occupation") or ""
    if civil_servant(occupation, on):
        text = _("Pekerjaan %(occupation)s: PNS/TNI/Polri tidak berhak.") % {"occupation": occupation}
        return Criterion("bukan_pns_tni_polri", False, text)
    return Criterion("bukan_pns_tni_polri", True, _("Bukan PNS/TNI/Polri."))


@criterion("tanpa_jaminan_kesehatan", sql=f"{INSURANCE_SQL} = 'tidak_ada'")
def uninsured(facts: dict, on: dt.date) -> Criterion:
    met = (facts.get("health_insurance") or "tidak_ada") == "tidak_ada"
    text = _("Tidak memiliki jaminan kesehatan apa pun.") if met else _("Memiliki jaminan kesehatan.")
    return Criterion("tanpa_jaminan_kesehatan", met, text)


@criterion("siswa_sd_sma", sql="COALESCE(school_status IN (%(pupil_school_levels)s), FALSE)")
def pupil(facts: dict, on: dt.date) -> Criterion:
    met = facts.get("school_status") in p.value("pupil_school_levels", on)
    text = _("Pemohon masih bersekolah (SD–SMA/SMK).") if met else _("Pemohon bukan siswa SD–SMA/SMK.")
    return Criterion("siswa_sd_sma", met, text)


@criterion("mahasiswa_ptn")
def university_student(facts: dict, on: dt.date) -> Criterion:
    met = facts.get("school_status") == "kuliah" and bool(facts.get("ptn"))
    text = (
        _("Diterima/kuliah di perguruan tinggi negeri.")
        if met
        else _("Tidak tercatat kuliah di perguruan tinggi negeri.")
    )
    return Criterion("mahasiswa_ptn", met, text)


@criterion("ipk")
def gpa(facts: dict, on: dt.date) -> Criterion:
    minimum = Decimal(p.value("beasiswa_ipk_min", on))
    ipk = facts.get("ipk")
    if ipk in (None, ""):
        return Criterion("ipk", True, _("Mahasiswa baru: IPK belum ada."))
    met = Decimal(str(ipk)) >= minimum
    sign = "≥" if met else "<"
    return Criterion("ipk", met, f"IPK {Decimal(str(ipk)):.2f} {sign} {minimum:.2f}.")


@criterion("masa_pendaftaran")
def registration_window(facts: dict, on: dt.date) -> Criterion:
    start, end = (dt.date.fromisoformat(f"{on.year}-{md}") for md in p.value("beasiswa_window", on))
    met = start <= on <= end
    window = f"{start:%d/%m}–{end:%d/%m}"
    if met:
        text = _("Diajukan dalam masa pendaftaran %(window)s.") % {"window": window}
    else:
        text = _("Di luar masa pendaftaran %(window)s.") % {"window": window}
    return Criterion("masa_pendaftaran", met, text)


@criterion("kematian_tercatat")
def death_recorded(facts: dict, on: dt.date) -> Criterion:
    raw = facts.get("date_of_death")
    if not raw:
        return Criterion("kematian_tercatat", False, _("Tanggal meninggal belum diisi."))
    died = dt.date.fromisoformat(str(raw))
    limit = p.value("sangduta_claim_days", on)
    if died > on:
        return Criterion("kematian_tercatat", False, _("Tanggal meninggal di masa depan."))
    days = (on - died).days
    # An application names the death recorded in the registry; a typed date alone is flagged.
    unrecorded = " " + _("Kematian belum tercatat di registri.") if facts.get("death_recorded") is False else ""
    if days > limit:
        text = _("Diajukan %(days)s hari setelah meninggal, lebih dari batas %(limit)s hari.") % {
            "days": days,
            "limit": limit,
        }
        text += unrecorded
        return Criterion("kematian_tercatat", False, text)
    text = _("Meninggal pada %(date)s, diajukan %(days)s hari kemudian (batas %(limit)s hari).") % {
        "date": f"{died:%d/%m/%Y}",
        "days": days,
        "limit": limit,
    }
    text += unrecorded
    return Criterion("kematian_tercatat", True, text)


@criterion("penyandang_disabilitas", sql="COALESCE(NULLIF(disability, ''), 'tidak_ada') <> 'tidak_ada'")
def has_disability(facts: dict, on: dt.date) -> Criterion:
    met = (facts.get("disability") or "tidak_ada") != "tidak_ada"
    text = _("Pemohon penyandang disabilitas.") if met else _("Pemohon tidak tercatat sebagai penyandang disabilitas.")
    return Criterion("penyandang_disabilitas", met, text)


@criterion("ditanggung_saraswati")
def covered_by_saraswati(facts: dict, on: dt.date) -> Criterion:
    """Whether one person (their `health_insurance` and `occupation`) is covered by their household's
    Kartu Saraswati: the card leaves out members with other health insurance and PNS/TNI/Polri."""
    for exclusion in (no_other_health_insurance(facts, on), not_civil_servant(facts, on)):
        if not exclusion.met:
            return Criterion("ditanggung_saraswati", False, exclusion.explanation)
    return Criterion("ditanggung_saraswati", True, _("Ditanggung Kartu Saraswati."))


@criterion("pemegang_saraswati")
def holds_card(facts: dict, on: dt.date) -> Criterion:
    """A valid, unrevoked Kartu Saraswati of the household that covers the person is the entitlement;
    so is Jamkesda/PBI APBD membership or a poor household."""
    card = facts.get("saraswati_card")
    covered = covered_by_saraswati(facts, on)
    if card and covered.met:
        text = _("Tercantum pada Kartu Saraswati %(card)s yang berlaku.") % {"card": card}
        return Criterion("pemegang_saraswati", True, text)
    if facts.get("health_insurance") in {"jamkesda", "pbi_apbd"}:
        return Criterion("pemegang_saraswati", True, _("Peserta Jamkesda/PBI APBD."))
    if poverty_class(facts, on) == "miskin":
        return Criterion("pemegang_saraswati", True, _("Rumah tangga miskin."))
    if card:
        text = _("Kartu Saraswati %(card)s tidak menanggung pemohon: %(reason)s") % {
            "card": card,
            "reason": covered.explanation,
        }
        return Criterion("pemegang_saraswati", False, text)
    return Criterion("pemegang_saraswati", False, _("Bukan pemegang Kartu Saraswati yang berlaku."))
