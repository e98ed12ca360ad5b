"""Indeks Kepuasan Masyarakat (IKM) as PermenPANRB 14/2017 defines it, without Django.

Nine elements (unsur), each answered 1–4. Per element the mean (nilai rata-rata, NRR); the
weighted mean is the mean of the nine NRR (each weighs 1/9); IKM = weighted mean × 25, on 25–100.
Grades on the converted value: 88.31–100 A (Sangat Baik), 76.61–88.30 B (Baik),
65.00–76.60 C (Kurang Baik), 25.00–64.99 D (Tidak Baik).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ELEMENTS = [
    ("persyaratan", "Persyaratan"),
    ("prosedur", "Sistem, mekanisme dan prosedur"),
    ("waktu", "Waktu penyelesaian"),
    ("biaya", "Biaya/tarif"),
    ("produk", "Produk spesifikasi jenis pelayanan"),
    ("kompetensi", "Kompetensi pelaksana"),
    ("perilaku", "Perilaku pelaksana"),
    ("pengaduan", "Penanganan pengaduan, saran dan masukan"),
    ("sarana", "Sarana dan prasarana"),
]
ELEMENT_KEYS = [key for key, _label in ELEMENTS]

# (lower bound of the converted value, grade, quality) from high to low.
GRADES = [
    (Decimal("88.31"), "A", "Sangat Baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang Baik"),
    (Decimal("25.00"), "D", "Tidak Baik"),
]
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    element_means: dict[str, Decimal]  # NRR per element, 3 decimals
    weighted_mean: Decimal  # NRR tertimbang, 3 decimals
    ikm: Decimal  # converted value, 2 decimals
    grade: str
    quality: str


def grade_for(value: Decimal) -> tuple[str, str]:
    value = Decimal(value).quantize(TWO_PLACES, ROUND_HALF_UP)
    for lower, grade, quality in GRADES:
        if value >= lower:
            return grade, quality
    raise ValueError(f"IKM {value} di bawah 25,00: jawaban harus bernilai 1–4.")


def compute(responses: Iterable[Sequence[int]]) -> IkmResult | None:
    """IKM of responses, each a sequence of nine answers 1–4 in ELEMENTS order. None if no response."""
    totals = [0] * len(ELEMENTS)
    count = 0
    for answers in responses:
        if len(answers) != len(ELEMENTS):
            raise ValueError(f"Satu jawaban survei harus berisi {len(ELEMENTS)} unsur.")
        for index, value in enumerate(answers):
            if value not in (1, 2, 3, 4):
                raise ValueError(f"Nilai unsur {ELEMENTS[index][1]} harus 1–4, bukan {value!r}.")
            totals[index] += value
        count += 1
    if not count:
        return None
    means = [Decimal(total) / count for total in totals]
    weighted = sum(means) / len(means)
    ikm = (weighted * 25).quantize(TWO_PLACES, ROUND_HALF_UP)
    grade, quality = grade_for(ikm)
    return IkmResult(
        respondents=count,
        element_means={
            key: mean.quantize(Decimal("0.001"), ROUND_HALF_UP) for key, mean in zip(ELEMENT_KEYS, means, strict=True)
        },
        weighted_mean=weighted.quantize(Decimal("0.001"), ROUND_HALF_UP),
        ikm=ikm,
        grade=grade,
        quality=quality,
    )
