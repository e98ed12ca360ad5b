"""Find records that may be the same person: blocking, then a scored and explained comparison.

Django-free, so the importer, the registry scan and the benchmark share it. A record is
`Person(key, nik, name, sex, birth_date, birth_place, desa, group)`; `group` is the household
(two records of one household are compared like any others). Blocking keys:

- the NIK itself (same NIK in two households is an exact duplicate);
- birth year + the unordered pair (day, month) + first and last letter of the normalised name,
  which keeps together most typos, abbreviated first names, swapped day/month, a mistyped or
  missing NIK;
- exact birth date + desa, which catches a typo in the first letter within one village.

Each candidate pair gets points per feature (the reasons list says which, in Indonesian); the sum
is clamped to 0–100 and compared with two thresholds: `certain` and `possible`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz.distance import OSA, Hamming, Indel

CERTAIN = "certain"
POSSIBLE = "possible"

# Older spellings and common abbreviations seen in Javanese names, mapped to one form.
_SPELLING = [(re.compile(p), r) for p, r in [(r"oe", "u"), (r"dj", "j"), (r"tj", "c"), (r"ch", "kh")]]
_FIRST_NAMES = {
    "moh": "muhammad",
    "moch": "muhammad",
    "mochammad": "muhammad",
    "mohammad": "muhammad",
    "mohamad": "muhammad",
    "muhamad": "muhammad",
    "muh": "muhammad",
    "mhd": "muhammad",
    "nur": "nur",
}
_NON_LETTERS = re.compile(r"[^a-z ]+")


class Person(NamedTuple):
    key: object
    nik: str | None
    name: str
    sex: str
    birth_date: dt.date
    birth_place: str
    desa: str
    group: object


@dataclass(frozen=True)
class Weights:
    nik_equal: int = 50
    nik_one_digit: int = 30
    nik_one_serial_digit: int = 10  # as likely a neighbour born the same day as a typo
    nik_missing_consistent: int = 17
    nik_different: int = -60
    name_equal: int = 30
    name_rare: int = 12  # added to name_equal when the full name occurs at most twice
    name_uncommon: int = 6  # … or at most 50 times
    name_abbreviated: int = 25
    name_close: int = 22  # similarity >= name_close_min
    name_near: int = 12  # similarity >= name_near_min
    name_different: int = -40
    name_close_min: float = 90
    name_near_min: float = 80
    date_equal: int = 15
    date_swapped: int = 10
    date_different: int = -30
    sex_different: int = -40
    same_desa: int = 15
    same_kecamatan: int = 7
    same_birth_place: int = 3
    certain: int = 85
    possible: int = 65


class Match(NamedTuple):
    a: object
    b: object
    score: int
    level: str
    reasons: list[str]


def normalise_name(name: str) -> str:
    text = _NON_LETTERS.sub(" ", (name or "").lower().replace(".", ". "))
    text = " ".join(_FIRST_NAMES.get(t, t) for t in text.split())
    for pattern, replacement in _SPELLING:
        text = pattern.sub(replacement, text)
    return text


def _abbreviated(a: str, b: str) -> bool:
    """'m rizki' and 'muhammad rizki': same tokens, where one side may give only an initial."""
    ta, tb = a.split(), b.split()
    if len(ta) != len(tb) or ta == tb:
        return False
    initial = False
    for x, y in zip(ta, tb, strict=True):
        if x == y:
            continue
        if (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y)):
            initial = True
            continue
        return False
    return initial


def _nik_consistent(nik: str, sex: str, birth: dt.date) -> bool:
    """Does a NIK encode this sex and birth date (day +40 for women)?"""
    day = birth.day + (40 if sex == "P" else 0)
    return nik[6:12] == f"{day:02d}{birth.month:02d}{birth.year % 100:02d}"


def _region_fits(person: Person) -> bool:
    return person.nik[:6] == person.desa[:8].replace(".", "")


def _looks_like_typo(p: Person, q: Person) -> bool:
    """Two NIKs one digit apart: a typo, or two people (born the same day, registered nearby)?

    A typo in the date digits makes one NIK disagree with its own birth date; a typo in the
    region digits makes one NIK's kecamatan disagree with where its record lives. A different
    serial digit is as likely a neighbour as a typo.
    """
    position = next(i for i, (x, y) in enumerate(zip(p.nik, q.nik, strict=True)) if x != y)
    if position >= 12:
        return "0000" in (p.nik[12:], q.nik[12:])  # serial 0000 is never issued
    if position >= 6:
        return _nik_consistent(p.nik, p.sex, p.birth_date) != _nik_consistent(q.nik, q.sex, q.birth_date)
    # A region typo keeps the record where the person lives: in the same kecamatan as the other.
    return _region_fits(p) != _region_fits(q) and p.desa[:8] == q.desa[:8]


def compare(
    p: Person,
    q: Person,
    n1: str,
    n2: str,
    w: Weights = Weights(),
    frequency: int = 1000,  # noqa: B008
) -> tuple[int, list[str]]:
    """Points and reasons for one pair; n1/n2 are the normalised names, `frequency` how often n1 occurs.

    An exact name counts for more when the name is rare: two "Sri" born the same day are often two
    people, two "Warsini Dwi Rahmat" hardly ever.
    """
    points, reasons = 0, []
    if p.nik and q.nik:
        if p.nik == q.nik:
            points += w.nik_equal
            reasons.append("NIK sama")
        elif Hamming.distance(p.nik, q.nik) == 1:
            if _looks_like_typo(p, q):
                points += w.nik_one_digit
                reasons.append("NIK beda satu digit")
            else:
                points += w.nik_one_serial_digit
                reasons.append("NIK beda satu digit, keduanya sah (bisa orang lain)")
        else:
            return w.nik_different, ["NIK berbeda"]
    else:
        present = p if p.nik else q
        other = q if p.nik else p
        if present.nik and _nik_consistent(present.nik, other.sex, other.birth_date):
            points += w.nik_missing_consistent
            reasons.append("NIK kosong pada satu data; NIK lainnya cocok dengan tanggal lahir dan jenis kelamin")
        else:
            reasons.append("NIK kosong")
    if n1 == n2:
        if frequency <= 2:
            points += w.name_equal + w.name_rare
            reasons.append("nama sama (nama langka)")
        elif frequency <= 50:
            points += w.name_equal + w.name_uncommon
            reasons.append("nama sama (nama jarang)")
        else:
            points += w.name_equal
            reasons.append("nama sama")
    elif _abbreviated(n1, n2):
        points += w.name_abbreviated
        reasons.append("nama depan disingkat")
    else:
        similarity = Indel.normalized_similarity(n1, n2) * 100
        if OSA.distance(n1, n2) == 1:
            points += w.name_close
            reasons.append("nama beda satu huruf")
        elif similarity >= w.name_close_min:
            points += w.name_close
            reasons.append(f"nama mirip ({similarity:.0f}%)")
        elif similarity >= w.name_near_min:
            points += w.name_near
            reasons.append(f"nama agak mirip ({similarity:.0f}%)")
        else:
            points += w.name_different
            reasons.append(f"nama berbeda ({similarity:.0f}%)")
    if p.birth_date == q.birth_date:
        points += w.date_equal
        reasons.append("tanggal lahir sama")
    elif (p.birth_date.year, p.birth_date.day, p.birth_date.month) == (
        q.birth_date.year,
        q.birth_date.month,
        q.birth_date.day,
    ):
        points += w.date_swapped
        reasons.append("tanggal dan bulan lahir tertukar")
    else:
        points += w.date_different
        reasons.append("tanggal lahir berbeda")
    if p.sex != q.sex:
        points += w.sex_different
        reasons.append("jenis kelamin berbeda")
    if p.desa == q.desa:
        points += w.same_desa
        reasons.append("desa sama")
    elif p.desa[:8] == q.desa[:8]:
        points += w.same_kecamatan
        reasons.append("kecamatan sama")
    if p.birth_place and p.birth_place.lower() == (q.birth_place or "").lower():
        points += w.same_birth_place
        reasons.append("tempat lahir sama")
    return max(0, min(100, points)), reasons


def _blocks(people: list[Person], names: list[str]) -> Iterator[list[int]]:
    for key_of in (
        lambda p, n: p.nik,
        lambda p, n: (p.birth_date.year, *sorted((p.birth_date.day, p.birth_date.month)), n[:1], n[-1:]),
        lambda p, n: (p.birth_date, p.desa),
    ):
        blocks: dict = defaultdict(list)
        for index, (person, name) in enumerate(zip(people, names, strict=True)):
            key = key_of(person, name)
            if key:
                blocks[key].append(index)
        for members in blocks.values():
            if len(members) > 1:
                yield members


def find_matches(
    records: Iterable[Person],
    *,
    weights: Weights = Weights(),  # noqa: B008
    only: set | None = None,
    skip: Callable[[Person, Person], bool] | None = None,
    max_block: int = 400,
) -> list[Match]:
    """Scored pairs at or above the `possible` threshold.

    `only`: when given, a pair is kept only if at least one side's key is in it (an import batch
    against the registry: pairs of two registry people are not this batch's business).
    `skip(p, q)`: pairs the caller knows are not duplicates (a row and the person it updates).
    Blocks larger than `max_block` (a NIK or date shared by hundreds) are compared in windows
    of that size so one bad key cannot make the run quadratic.
    """
    people = list(records)
    names = [normalise_name(p.name) for p in people]
    frequency = Counter(names)
    matches: dict[tuple[int, int], Match] = {}
    for members in _blocks(people, names):
        for start in range(0, len(members), max_block):
            window = members[start : start + max_block]
            for x, i in enumerate(window):
                p, n1 = people[i], names[i]
                for j in window[x + 1 :]:
                    q = people[j]
                    if p.group == q.group and p.nik == q.nik and p.nik:
                        continue  # the same row twice in one household is caught by exact checks
                    if only is not None and p.key not in only and q.key not in only:
                        continue
                    if skip is not None and skip(p, q):
                        continue
                    score, reasons = compare(p, q, n1, names[j], weights, frequency[n1])
                    if score >= weights.possible:
                        # A pair found by two blocking keys is scored twice (cheaper than a seen-set).
                        pair = (i, j) if i < j else (j, i)
                        level = CERTAIN if score >= weights.certain else POSSIBLE
                        matches[pair] = Match(people[pair[0]].key, people[pair[1]].key, score, level, reasons)
    return list(matches.values())
