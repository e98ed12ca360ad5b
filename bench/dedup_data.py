"""Seeded people with seeded duplicates of known kinds (the truth the matcher is scored against).

Names are built from the demo generator's Javanese name lists, combined into two or three parts
so that the name space is closer to a real regency's than the demo's two-part names.
"""

import datetime as dt
import random
from collections import defaultdict

from satupintu.lib.matcher import Person
from satupintu.registry import demo_names as names

KINDS = ["exact_nik", "name_typo", "abbreviated", "swapped_dm", "nik_typo", "missing_nik"]
TODAY = dt.date(2026, 11, 1)
LETTERS = "abcdefghijklmnopqrstuvwxyz"


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


def _perturb(rng: random.Random, p: Person, kind: str) -> Person:
    if kind == "name_typo":
        name = _typo(rng, p.name)
        while name.lower() == p.name.lower():
            name = _typo(rng, p.name)
        return p._replace(name=name)
    if kind == "abbreviated":
        first, _, rest = p.name.partition(" ")
        return p._replace(name=f"{first[0]}. {rest}")
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


def generate(size: int, *, seed: int = 6, duplicate_share: float = 0.02) -> tuple[list[Person], set[tuple]]:
    """`size` records of which about `duplicate_share` duplicate another; returns (records, true pairs)."""
    rng = random.Random(seed)
    desa = _desa_codes()
    serials: dict = defaultdict(int)
    n_dups = int(size * duplicate_share)
    people: list[Person] = []
    household = 0
    while len(people) < size - n_dups:
        household += 1
        village = rng.choice(desa)
        for _ in range(rng.choice([1, 2, 3, 3, 4, 4, 5, 6])):
            sex = rng.choice("LP")
            birth = TODAY - dt.timedelta(days=rng.randint(0, 85 * 365))
            region = village[:8].replace(".", "") if rng.random() < 0.9 else f"3314{rng.randint(1, 20):02d}"
            day = birth.day + (40 if sex == "P" else 0)
            key = (region, day, birth.month, birth.year % 100)
            serials[key] += 1
            nik = f"{region}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serials[key]:04d}"
            if rng.random() < 0.03:
                nik = None
            place = rng.choice(names.BIRTH_PLACES)
            people.append(Person(len(people), nik, _name(rng, sex), sex, birth, place, village, household))
    truth = set()
    with_nik = [p for p in people if p.nik]
    for index, base in enumerate(rng.sample(with_nik, n_dups)):
        kind = KINDS[index % len(KINDS)]
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
        truth.add((base.key, copy.key))
    rng.shuffle(people)
    return people, truth


def score(predicted: set[tuple], truth: set[tuple]) -> dict:
    predicted = {tuple(sorted(pair)) for pair in predicted}
    truth = {tuple(sorted(pair)) for pair in truth}
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pairs": len(predicted), "tp": tp, "precision": precision, "recall": recall, "f1": f1}
