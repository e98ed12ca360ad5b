"""Seeded people with seeded duplicates of known kinds (the truth the matcher is scored against).

Names are built from the demo generator's Javanese name lists, combined into two or three parts
so that the name space is closer to a real regency's than the demo's two-part names. Abbreviated
copies are written the way registries shorten a given name (an initial, the first syllable and a
period, the customary short forms of Arabic-derived names, a title added before the name), not
from a list of names. One household in a hundred has twins: born the same day, with their own
names, the negatives a within-household duplicate must not be confused with.
"""

import datetime as dt
import random
from collections import defaultdict

from satupintu.demo import names
from satupintu.lib.matcher import Person

KINDS = ["exact_nik", "name_typo", "abbreviated", "swapped_dm", "nik_typo", "missing_nik", "same_household"]
TODAY = dt.date(2026, 11, 1)
LETTERS = "abcdefghijklmnopqrstuvwxyz"
VOWELS = "aeiou"
# The customary short forms and spellings of Arabic-derived given names (besides the plain initial).
SHORT_FORMS = {
    "Muhammad": ["Muh.", "Moh.", "Moch.", "Mhd.", "Mochammad"],
    "Ahmad": ["Ach.", "Ahm.", "Achmad"],
    "Abdul": ["Abd."],
    "Siti": ["St."],
}
TITLES = {"L": ["H.", "R."], "P": ["Hj.", "Ny."]}  # haji / raden; hajah / nyonya
TWIN_SHARE = 0.01


def _desa_codes() -> list[str]:
    return [f"33.14.{k:02d}.{2000 + d:04d}" for k in range(1, 21) for d in range(1, 11)]


def _name(rng: random.Random, sex: str) -> str:
    first = rng.choice(names.FEMALE_FIRST if sex == "P" else names.MALE_FIRST)
    pool = names.SECOND + names.MALE_FIRST
    parts = [first]
    if rng.random() < 0.8:
        parts.append(rng.choice(pool))
    if rng.random() < 0.3:
        parts.append(rng.choice(pool))
    return " ".join(parts)


def _typo(rng: random.Random, text: str) -> str:
    i = rng.randrange(len(text))
    kind = rng.choice("sdit")
    if kind == "s":
        return text[:i] + rng.choice(LETTERS) + text[i + 1 :]
    if kind == "d" and len(text) > 3:
        return text[:i] + text[i + 1 :]
    if kind == "t" and i < len(text) - 1:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + rng.choice(LETTERS) + text[i:]


def _first_syllable(name: str) -> str:
    """'Suparman' → 'Sup', 'Endang' → 'En': up to the consonant after the first vowel."""
    vowel = next((k for k, c in enumerate(name.lower()) if c in VOWELS), len(name))
    return name[: vowel + 2]


def _abbreviate(rng: random.Random, name: str, sex: str) -> str:
    first, _, rest = name.partition(" ")
    roll = rng.random()
    if roll < 0.1:
        return f"{rng.choice(TITLES[sex])} {name}"
    if first in SHORT_FORMS and roll < 0.6:
        return f"{rng.choice(SHORT_FORMS[first])} {rest}"
    syllable = _first_syllable(first)
    if roll < 0.5 or len(syllable) >= len(first):
        return f"{first[0]}{rng.choice(['.', ''])} {rest}"
    return f"{syllable}. {rest}"


def _perturb(rng: random.Random, p: Person, kind: str) -> Person:
    if kind == "name_typo":
        name = _typo(rng, p.name)
        while name.lower() == p.name.lower():
            name = _typo(rng, p.name)
        return p._replace(name=name)
    if kind == "abbreviated":
        return p._replace(name=_abbreviate(rng, p.name, p.sex))
    if kind == "swapped_dm":
        d = p.birth_date
        return p._replace(birth_date=d.replace(day=d.month, month=d.day))
    if kind == "nik_typo":
        i = rng.randrange(16)
        digit = rng.choice([x for x in "0123456789" if x != p.nik[i]])
        return p._replace(nik=p.nik[:i] + digit + p.nik[i + 1 :])
    if kind == "missing_nik":
        return p._replace(nik=None)
    return p


def _double_entry(rng: random.Random, p: Person) -> Person:
    """The same person entered twice in one KK: the second row retyped with an error, its NIK left
    out or mistyped (with the NIK typed right, the importer's exact check finds the row)."""
    kinds = ["name_typo", "swapped_dm", "none"]
    if " " in p.name:
        kinds.append("abbreviated")
    kind = rng.choice(kinds)
    if kind == "swapped_dm" and not (p.birth_date.day <= 12 and p.birth_date.day != p.birth_date.month):
        kind = "name_typo"
    copy = _perturb(rng, p, kind)
    if kind != "none" and rng.random() < 0.5:
        return _perturb(rng, copy, "nik_typo")
    return copy._replace(nik=None)


def _nik(serials: dict, region: str, sex: str, birth: dt.date) -> str:
    day = birth.day + (40 if sex == "P" else 0)
    key = (region, day, birth.month, birth.year % 100)
    serials[key] += 1
    return f"{region}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serials[key]:04d}"


def _twin(rng: random.Random, serials: dict, sibling: Person, key: int) -> Person:
    """Born the same day and place; a name of its own, often sharing the sibling's later parts."""
    sex = rng.choice("LP")
    name = sibling.name
    while name == sibling.name:
        name = _name(rng, sex)
        if rng.random() < 0.5 and " " in sibling.name:
            name = f"{name.partition(' ')[0]} {sibling.name.partition(' ')[2]}"
    nik = _nik(serials, sibling.nik[:6], sex, sibling.birth_date) if sibling.nik else None
    return sibling._replace(key=key, nik=nik, name=name, sex=sex)


def generate(size: int, *, seed: int = 6, duplicate_share: float = 0.02) -> tuple[list[Person], dict, set]:
    """`size` records of which about `duplicate_share` duplicate another.

    Returns (records, {true pair: kind}, twin pairs): the twins are pairs that must not be found."""
    rng = random.Random(seed)
    desa = _desa_codes()
    serials: dict = defaultdict(int)
    n_dups = int(size * duplicate_share)
    people: list[Person] = []
    household = 0
    twins = set()
    while len(people) < size - n_dups:
        household += 1
        village = rng.choice(desa)
        for _ in range(rng.choice([1, 2, 3, 3, 4, 4, 5, 6])):
            sex = rng.choice("LP")
            birth = TODAY - dt.timedelta(days=rng.randint(0, 85 * 365))
            region = village[:8].replace(".", "") if rng.random() < 0.9 else f"3314{rng.randint(1, 20):02d}"
            nik = _nik(serials, region, sex, birth)
            place = rng.choice(names.BIRTH_PLACES)
            people.append(Person(len(people), nik, _name(rng, sex), sex, birth, place, village, household))
        if rng.random() < TWIN_SHARE:
            twin = _twin(rng, serials, people[-1], len(people))
            twins.add((twin.key - 1, twin.key))
            people.append(twin)
    for k in rng.sample(range(len(people)), round(len(people) * 0.03)):
        people[k] = people[k]._replace(nik=None)
    truth = {}
    with_nik = [p for p in people if p.nik]
    for index, base in enumerate(rng.sample(with_nik, n_dups)):
        kind = KINDS[index % len(KINDS)]
        if kind == "same_household":
            copy = _double_entry(rng, base)._replace(key=len(people))
            people.append(copy)
            truth[base.key, copy.key] = kind
            continue
        if kind == "swapped_dm" and not (base.birth_date.day <= 12 and base.birth_date.day != base.birth_date.month):
            kind = "name_typo"
        if kind == "abbreviated" and " " not in base.name:
            kind = "missing_nik"
        roll = rng.random()
        if roll < 0.7:
            village = base.desa
        elif roll < 0.9:
            village = rng.choice([d for d in desa if d[:8] == base.desa[:8] and d != base.desa])
        else:
            village = rng.choice(desa)
        household += 1
        copy = _perturb(rng, base, kind)._replace(key=len(people), desa=village, group=household)
        people.append(copy)
        truth[base.key, copy.key] = kind
    rng.shuffle(people)
    return people, truth, twins


def recall_by_kind(predicted: set[tuple], truth: dict) -> dict[str, float]:
    predicted = {tuple(sorted(pair)) for pair in predicted}
    found, total = defaultdict(int), defaultdict(int)
    for pair, kind in truth.items():
        total[kind] += 1
        found[kind] += tuple(sorted(pair)) in predicted
    return {kind: found[kind] / total[kind] for kind in KINDS if total[kind]}


def score(predicted: set[tuple], truth) -> dict:
    predicted = {tuple(sorted(pair)) for pair in predicted}
    truth = {tuple(sorted(pair)) for pair in truth}
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pairs": len(predicted), "tp": tp, "precision": precision, "recall": recall, "f1": f1}
