"""Priority rules of the budget-bounded services: who comes first when the ceiling does not reach
every eligible applicant.

A `PriorityRule` is dated (`valid_from`, with an id and version the round records) and made of
weighted components. Each component reads the applicant's facts (gathered set-based by `allocation.ranking`: the
registry's latest poverty assessment, the household's members, its head, and for the scholarship
the IPK of the application's details) and returns its points and an Indonesian explanation: the
score in [0, 1] times the component's weight. The total is their sum; equal totals are broken by
the earlier application (received first, then the lower receipt number), and every rule says so in
its `ties` text.

A ranking scores each component once per distinct value of the facts it `reads` (or of its `key`:
the head's age, not the birth date), as applicants alike in those get the same points and
explanation, and keeps each component's JSON text with it: a round of tens of thousands of
applicants composes a few hundred explanations, not one per applicant and component.

No regulation of the regency gives these weights: every rule's `source` is an assumption mark
(`parameters.assumed`), shown beside the ranking. A new rule version is a new entry of `RULES`
with a later `valid_from`; a round keeps the version it ranked with.
"""

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import NamedTuple

from satupintu import parameters as p

TIES = "Nilai sama: yang lebih dahulu diterima didahulukan (waktu diterima, lalu nomor tanda terima)."
CENT, ZERO, ONE = Decimal("0.01"), Decimal(0), Decimal(1)
# The household size at which the size component gives full points.
FULL_HOUSEHOLD = 8
# IPK scale: the scholarship's minimum gives nothing, 4.00 gives full points.
IPK_TOP = Decimal("4.00")


class Score(NamedTuple):
    """One component's share (0–1) of its weight, and why."""

    share: Decimal
    explanation: str


@dataclass(frozen=True)
class Component:
    name: str
    label: str
    weight: int
    score: Callable[[dict, dict], Score]  # (facts, parameters in force) -> Score
    reads: tuple[str, ...]  # every fact `score` reads: equal values of these give the same Score
    # What decides the Score when it is coarser than the facts read (the head's age, not the birth date).
    key: Callable[[dict, dict], object] | None = None

    def __call__(self, facts: dict, params: dict) -> tuple[Decimal, str]:
        share, explanation = self.score(facts, params)
        share = ZERO if share <= 0 else ONE if share >= 1 else share
        return (share * self.weight).quantize(CENT, rounding=ROUND_HALF_UP), explanation

    @cached_property
    def decides(self) -> Callable[[dict, dict], object]:
        """(facts, parameters) → the value that decides this component's Score."""
        if self.key is not None:
            return self.key
        if len(self.reads) == 1:
            (name,) = self.reads
            return lambda facts, params: facts.get(name)
        reads = self.reads
        return lambda facts, params: tuple(map(facts.get, reads))

    def part(self, facts: dict, params: dict) -> "Part":
        points, explanation = self(facts, params)
        shown = {
            "name": self.name,
            "label": self.label,
            "weight": self.weight,
            "points": str(points),
            "explanation": explanation,
        }
        return Part(points, shown, json.dumps(shown))


class Part(NamedTuple):
    """One component's points for one applicant, as shown and as JSON text."""

    points: Decimal
    shown: dict
    encoded: str


@dataclass(frozen=True)
class Ranked:
    """One applicant's total and components as a round stores them."""

    points: Decimal
    components: list[dict]  # each {"name", "label", "weight", "points", "explanation"}
    encoded: str = ""  # `components` as JSON text


@dataclass(frozen=True)
class PriorityRule:
    service: str
    id: str
    version: int
    valid_from: dt.date
    components: tuple[Component, ...]
    source: str
    ties: str = TIES
    parameters: tuple[str, ...] = ("dtsen_poor_desil_max", "bps14_poor_min", "elderly_age_min", "beasiswa_ipk_min")

    @property
    def ref(self) -> str:
        return f"{self.id}/v{self.version}"

    def bind(self, on: dt.date) -> dict:
        """The dated parameters the components read, looked up once for a whole ranking."""
        return {"on": on, **{name: p.value(name, on) for name in self.parameters}}

    def score(self, facts: dict, params: dict, memo: dict | None = None) -> Ranked:
        """The applicant's total and components. `memo` (one per ranking: the same `params`) keeps
        each component's `Part` per distinct value of what decides it (`Component.decides`)."""
        memo = {} if memo is None else memo
        parts = []
        for component in self.components:
            seen = memo.get(component.name)
            if seen is None:
                seen = memo[component.name] = {}
            value = component.decides(facts, params)
            part = seen.get(value)
            if part is None:
                part = seen[value] = component.part(facts, params)
            parts.append(part)
        total = sum((part.points for part in parts), ZERO)
        return Ranked(total, [part.shown for part in parts], "[" + ", ".join(part.encoded for part in parts) + "]")

    def rank(self, applicants: list[dict], on: dt.date) -> list[tuple[dict, Ranked]]:
        """`applicants` (each with "facts", "received_at" and "number") best first, ties by the
        earlier application."""
        params, memo = self.bind(on), {}
        scored = [(one, self.score(one["facts"], params, memo)) for one in applicants]
        scored.sort(key=lambda pair: (-pair[1].points, pair[0]["received_at"], pair[0]["number"]))
        return scored


# --- components -------------------------------------------------------------------------------


def poverty(facts: dict, params: dict) -> Score:
    """DTSEN desil 1 gives full points, each desil up to the poor limit one step less; a BPS-14
    checklist from the poor threshold (lowest share) to 14 of 14 (full); the unit's own
    verification "miskin" the lowest poor share."""
    method, desil, score = facts.get("poverty_method"), facts.get("desil"), facts.get("bps14_score")
    if method == "dtsen" and desil is not None:
        limit = params["dtsen_poor_desil_max"]
        share = Decimal(max(limit + 1 - desil, 0)) / Decimal(limit)
        return Score(share, f"DTSEN desil {desil} (desil 1 nilai penuh, di atas desil {limit} nol).")
    if method == "bps14" and score is not None:
        threshold = Decimal(params["bps14_poor_min"])
        score = Decimal(str(score))
        share = (score - threshold + 1) / (Decimal(14) - threshold + 1) if score >= threshold else ZERO
        return Score(share, f"Daftar periksa BPS: {score:g} dari 14 kriteria (miskin bila ≥ {threshold:g}).")
    if facts.get("poverty_result") == "miskin":
        limit = params["dtsen_poor_desil_max"]
        return Score(Decimal(1) / Decimal(limit), "Miskin menurut verifikasi UPT-PK (setara desil miskin teratas).")
    return Score(ZERO, "Rumah tangga belum dinilai miskin.")


def household_size(facts: dict, params: dict) -> Score:
    size = facts.get("household_size") or 0
    return Score(
        Decimal(min(size, FULL_HOUSEHOLD)) / FULL_HOUSEHOLD,
        f"{size} anggota rumah tangga (nilai penuh mulai {FULL_HOUSEHOLD} orang).",
    )


def disability_in_household(facts: dict, params: dict) -> Score:
    count = facts.get("disabled_members") or 0
    if count:
        return Score(ONE, f"{count} anggota rumah tangga penyandang disabilitas.")
    return Score(ZERO, "Tidak ada anggota penyandang disabilitas.")


def head_age(facts: dict, params: dict) -> int | None:
    """The head's age in whole years on the ranking date (None: no head recorded)."""
    born = facts.get("head_birth_date")
    if not born:
        return None
    born = born if isinstance(born, dt.date) else dt.date.fromisoformat(born)
    on = params["on"]
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def elderly_head(facts: dict, params: dict) -> Score:
    age, minimum = head_age(facts, params), params["elderly_age_min"]
    if age is None:
        return Score(ZERO, "Kepala keluarga tidak tercatat.")
    if age >= minimum:
        return Score(ONE, f"Kepala keluarga berusia {age} tahun (lanjut usia mulai {minimum}).")
    return Score(ZERO, f"Kepala keluarga berusia {age} tahun (belum lanjut usia).")


def female_head(facts: dict, params: dict) -> Score:
    if facts.get("head_sex") == "P":
        return Score(ONE, "Kepala keluarga perempuan.")
    return Score(ZERO, "Kepala keluarga bukan perempuan.")


def ipk(facts: dict, params: dict) -> Score:
    raw = facts.get("ipk")
    minimum = Decimal(params["beasiswa_ipk_min"])
    if raw in (None, ""):
        return Score(ZERO, "IPK belum ada (mahasiswa baru).")
    try:
        value = Decimal(str(raw))
    except ArithmeticError:
        return Score(ZERO, f"IPK “{raw}” tidak terbaca.")
    share = (value - minimum) / (IPK_TOP - minimum)
    return Score(share, f"IPK {value:.2f} (IPK {minimum:.2f} nol, {IPK_TOP:.2f} nilai penuh).")


COMPONENTS = {  # name: label, score, the facts it reads[, what decides its score]
    "ipk": ("IPK", ipk, ("ipk",)),
    "kemiskinan": ("Tingkat kemiskinan", poverty, ("poverty_method", "desil", "bps14_score", "poverty_result")),
    "jumlah_anggota": ("Jumlah anggota rumah tangga", household_size, ("household_size",)),
    "disabilitas": ("Anggota penyandang disabilitas", disability_in_household, ("disabled_members",)),
    "kepala_lansia": ("Kepala keluarga lanjut usia", elderly_head, ("head_birth_date",), head_age),
    "kepala_perempuan": ("Kepala keluarga perempuan", female_head, ("head_sex",)),
}
SINCE = dt.date(2026, 1, 1)


def weighted(service: str, id: str, version: int, valid_from: dt.date, **weights: int) -> PriorityRule:  # noqa: A002
    """A rule of the components named in `weights`, in that order; its weights are assumptions."""
    parts = tuple(
        Component(name, COMPONENTS[name][0], weight, *COMPONENTS[name][1:]) for name, weight in weights.items()
    )
    stated = ", ".join(f"{part.label.lower()} {part.weight}" for part in parts)
    return PriorityRule(service, id, version, valid_from, parts, p.assumed(f"bobot prioritas {service}: {stated}"))


RULES: dict[str, list[PriorityRule]] = {
    "beasiswa-prestasi": [
        weighted(
            "beasiswa-prestasi", "prioritas-beasiswa", 1, SINCE,
            ipk=40, kemiskinan=40, jumlah_anggota=10, disabilitas=5, kepala_perempuan=5,
        )
    ],
    "santunan-duka": [
        weighted(
            "santunan-duka", "prioritas-sangduta", 1, SINCE,
            kemiskinan=50, jumlah_anggota=20, kepala_perempuan=15, kepala_lansia=10, disabilitas=5,
        )
    ],
    "rtlh-apbd": [
        weighted(
            "rtlh-apbd", "prioritas-rtlh", 1, SINCE,
            kemiskinan=40, jumlah_anggota=20, disabilitas=15, kepala_lansia=15, kepala_perempuan=10,
        )
    ],
    "raskin": [
        weighted(
            "raskin", "prioritas-raskin", 1, SINCE,
            kemiskinan=50, jumlah_anggota=25, disabilitas=10, kepala_lansia=10, kepala_perempuan=5,
        )
    ],
    "kursi-roda": [
        weighted(
            "kursi-roda", "prioritas-kursi-roda", 1, SINCE,
            kemiskinan=60, kepala_lansia=20, jumlah_anggota=10, kepala_perempuan=10,
        )
    ],
}  # fmt: skip
BOUNDED = tuple(RULES)


def rule_on(service_code: str, on: dt.date) -> PriorityRule | None:
    """The service's priority rule in force on `on` (None: the service is not ranked, or not yet)."""
    in_force = [rule for rule in RULES.get(service_code, []) if rule.valid_from <= on]
    return max(in_force, key=lambda rule: rule.valid_from, default=None)


def by_ref(ref: str) -> PriorityRule | None:
    """The rule a round recorded (`rule.ref`)."""
    return next((rule for rules in RULES.values() for rule in rules if rule.ref == ref), None)
