"""Seeded generator of a realistic demo registry for a kabupaten (all its desa).

Households are written in batches with explicit primary keys and bulk inserts (no per-row save),
so a whole regency (300,000 households, about a million people) takes minutes.
"""

import datetime as dt
import json
import random
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from satupintu.lib.bulk import bulk_insert
from satupintu.lib.nik import FEMALE, MALE, make_kk, make_nik
from satupintu.regions.models import Level, Region
from satupintu.registry import choices as c
from satupintu.registry import fields, status
from satupintu.registry.models import Household, KKNumber, Membership, Person, PovertyAssessment
from satupintu.registry.poverty import classify_bps14, classify_desil

from . import names

TODAY = dt.date(2026, 11, 1)
DISABILITIES = [
    c.Disability.PHYSICAL,
    c.Disability.SENSORY,
    c.Disability.INTELLECTUAL,
    c.Disability.MENTAL,
    c.Disability.MULTIPLE,
]
STUDYING = {c.SchoolStatus.SD, c.SchoolStatus.SMP, c.SchoolStatus.SMA, c.SchoolStatus.UNIVERSITY}
MARITAL = list(c.MaritalStatus.values)
DESIL = list(range(1, 11))
DESIL_WEIGHTS = [16, 14, 12, 11, 10, 9, 8, 8, 6, 6]

# Every declared fact (`registry.fields`) plus what a bulk insert also writes: a row lacking a
# declared column fails with KeyError, so a new field cannot be left out of the demo.
HOUSEHOLD_COLUMNS = ["id", "head_id", *fields.columns(fields.HOUSEHOLD_FIELDS), "created_at", "updated_at"]
PERSON_COLUMNS = ["id", *fields.columns(fields.PERSON_FIELDS), "created_at", "updated_at"]
RELATIONSHIP = PERSON_COLUMNS.index("relationship")
KK_COLUMNS = ["household_id", "number", "valid_from", "valid_to", "reason"]
MEMBERSHIP_COLUMNS = ["person_id", "household_id", "relationship", "start", "end", "reason"]
ASSESSMENT_COLUMNS = [
    "household_id",
    "method",
    "desil",
    "answers",
    "score",
    "result",
    "assessor_id",
    "source",
    "assessed_on",
    "is_valid",
    "invalidated_reason",
    "created_at",
]


@dataclass
class Counters:
    nik_serial: dict = field(default_factory=dict)
    kk_serial: dict = field(default_factory=dict)
    household_id: int = 0
    person_id: int = 0


def _birth(rng: random.Random, age: int) -> dt.date:
    return TODAY - dt.timedelta(days=age * 365 + rng.randint(0, 364))


def _name(rng: random.Random, sex: str) -> str:
    first = rng.choice(names.FEMALE_FIRST if sex == FEMALE else names.MALE_FIRST)
    return first if rng.random() < 0.45 else f"{first} {rng.choice(names.SECOND)}"


def _school_status(rng: random.Random, age: int, poor: bool) -> tuple[str, str]:
    """(school status, education) for a person of this age."""
    if age < 7:
        return c.SchoolStatus.NOT_YET, c.Education.NONE
    if age <= 22 and not (age > 18 and rng.random() < 0.85):
        dropout = rng.random() < (0.07 if poor else 0.02) and age >= 13
        if dropout:
            return c.SchoolStatus.DROPPED_OUT, c.Education.SD if age < 16 else c.Education.SMP
        if age <= 12:
            return c.SchoolStatus.SD, c.Education.SD_NOT_FINISHED
        if age <= 15:
            return c.SchoolStatus.SMP, c.Education.SD
        if age <= 18:
            return c.SchoolStatus.SMA, c.Education.SMP
        return c.SchoolStatus.UNIVERSITY, c.Education.SMA
    weights = [0.12, 0.38, 0.22, 0.2, 0.03, 0.05] if poor else [0.04, 0.22, 0.24, 0.34, 0.06, 0.10]
    education = rng.choices(
        [c.Education.NONE, c.Education.SD, c.Education.SMP, c.Education.SMA, c.Education.DIPLOMA, c.Education.BACHELOR],
        weights,
    )[0]
    return c.SchoolStatus.FINISHED, education


def _insurance(rng: random.Random, desil: int) -> str:
    if desil <= 4:
        options = [
            (c.HealthInsurance.PBI_JK, 0.72),
            (c.HealthInsurance.PBI_APBD, 0.1),
            (c.HealthInsurance.NONE, 0.15),
            (c.HealthInsurance.JAMKESDA, 0.03),
        ]
    elif desil <= 6:
        options = [
            (c.HealthInsurance.PBI_JK, 0.3),
            (c.HealthInsurance.BPJS_MANDIRI, 0.3),
            (c.HealthInsurance.NONE, 0.3),
            (c.HealthInsurance.BPJS_PPU, 0.1),
        ]
    else:
        options = [
            (c.HealthInsurance.BPJS_MANDIRI, 0.35),
            (c.HealthInsurance.BPJS_PPU, 0.4),
            (c.HealthInsurance.ASKES_PNS, 0.15),
            (c.HealthInsurance.NONE, 0.1),
        ]
    return rng.choices([o for o, _w in options], [w for _o, w in options])[0]


class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.counters = Counters()
        self.made = 0
        self.now = timezone.now()
        self.kecamatan_prefixes = [r.nik_prefix for r in Region.objects.filter(level=Level.KECAMATAN)]

    def _nik(self, region6: str, birth: dt.date, sex: str) -> str:
        day = birth.day + (40 if sex == FEMALE else 0)
        key = (region6, day, birth.month, birth.year % 100)
        if key not in self.counters.nik_serial:  # serials do not all start at 0001 in real life
            self.counters.nik_serial[key] = self.rng.randint(0, 3000)
        self.counters.nik_serial[key] += 1
        return make_nik(region6, birth, sex, self.counters.nik_serial[key])

    def _kk(self, region6: str) -> tuple[str, dt.date]:
        issued = TODAY - dt.timedelta(days=self.rng.randint(30, 15 * 365))
        key = (region6, issued)
        if key not in self.counters.kk_serial:
            self.counters.kk_serial[key] = self.rng.randint(0, 3000)
        self.counters.kk_serial[key] += 1
        return make_kk(region6, issued, self.counters.kk_serial[key]), issued

    def _person(self, household_id: int, *, sex: str, age: int, relationship: str, desil: int, region6: str):
        """A person row in PERSON_COLUMNS order."""
        rng = self.rng
        self.counters.person_id += 1
        birth = _birth(rng, age)
        school, education = _school_status(rng, age, desil <= 4)
        married = relationship in (c.Relationship.HEAD, c.Relationship.SPOUSE, c.Relationship.PARENT)
        disability = c.Disability.NONE
        if rng.random() < (0.035 if age >= 60 else 0.015):
            disability = rng.choice(DISABILITIES)
        # Most people were first registered where they live; some moved in from another kecamatan.
        nik_region = region6 if rng.random() < 0.9 else rng.choice(self.kecamatan_prefixes)
        nik = None if (age < 1 and rng.random() < 0.5) else self._nik(nik_region, birth, sex)
        occupation = ""
        if age >= 18 and school == c.SchoolStatus.FINISHED:
            occupation = rng.choice(names.OCCUPATIONS_ADULT)
        elif school in STUDYING:
            occupation = "Pelajar/mahasiswa"
        if married:
            marital = c.MaritalStatus.MARRIED
        else:
            marital = c.MaritalStatus.SINGLE if age < 25 else rng.choice(MARITAL)
        phone = f"08{rng.choice('1235789')}{rng.randint(10**8, 10**9 - 1)}" if age >= 18 and rng.random() < 0.6 else ""
        values = {
            "id": self.counters.person_id,
            "nik": nik,
            "name": _name(rng, sex),
            "sex": sex,
            "birth_place": rng.choice(names.BIRTH_PLACES),
            "birth_date": birth,
            "household_id": household_id,
            "relationship": relationship,
            "marital_status": marital,
            "education": education,
            "occupation": occupation,
            "disability": disability,
            "school_status": school,
            "health_insurance": _insurance(rng, desil),
            "phone": phone,
            "created_at": self.now,
            "updated_at": self.now,
        }
        return tuple(values[column] for column in PERSON_COLUMNS)

    def _members(self, household_id: int, desil: int, region6: str) -> list[tuple]:
        rng = self.rng

        def person(sex, age, relationship):
            return self._person(household_id, sex=sex, age=age, relationship=relationship, desil=desil, region6=region6)

        head_sex = MALE if rng.random() < 0.86 else FEMALE
        head_age = rng.randint(24, 80)
        people = [person(head_sex, head_age, c.Relationship.HEAD)]
        if head_sex == MALE and head_age < 75 and rng.random() < 0.88:
            people.append(person(FEMALE, max(18, head_age - rng.randint(0, 8)), c.Relationship.SPOUSE))
        for _ in range(rng.choices([0, 1, 2, 3, 4, 5], [0.12, 0.25, 0.33, 0.18, 0.08, 0.04])[0]):
            people.append(
                person(rng.choice((MALE, FEMALE)), rng.randint(0, max(0, min(head_age - 18, 35))), c.Relationship.CHILD)
            )
        if head_age < 50 and rng.random() < 0.12:
            people.append(person(rng.choice((MALE, FEMALE)), head_age + rng.randint(22, 32), c.Relationship.PARENT))
        return people

    def _housing(self, desil: int) -> dict:
        """The housing indicators by column."""
        rng = self.rng
        poor = desil <= 4

        def pick(values, poor_weights, other_weights):
            return rng.choices(values, poor_weights if poor else other_weights)[0]

        return {
            "floor_area_m2": rng.randint(18, 60) if poor else rng.randint(36, 150),
            "floor_type": pick(c.FloorType.values, [0.3, 0.1, 0.4, 0.2], [0.03, 0.02, 0.3, 0.65]),
            "wall_type": pick(c.WallType.values, [0.25, 0.2, 0.3, 0.25], [0.02, 0.05, 0.13, 0.8]),
            "toilet": pick(c.Toilet.values, [0.2, 0.3, 0.5], [0.01, 0.07, 0.92]),
            "electricity": pick(c.Electricity.values, [0.02, 0.2, 0.6, 0.15, 0.03], [0, 0.03, 0.2, 0.47, 0.3]),
            "water_source": pick(c.WaterSource.values, [0.2, 0.6, 0.1, 0.1], [0.03, 0.5, 0.27, 0.2]),
            "cooking_fuel": pick(c.CookingFuel.values, [0.35, 0.64, 0.01], [0.05, 0.9, 0.05]),
            "ownership": pick(c.Ownership.values, [0.75, 0.05, 0.18, 0.02], [0.75, 0.05, 0.18, 0.02]),
        }

    def _assessment(self, household_id: int, desil: int) -> tuple | None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.62:
            assessed = dt.date(2025, rng.randint(1, 12), rng.randint(1, 28))
            return (
                household_id,
                c.AssessmentMethod.DTSEN,
                desil,
                "{}",
                desil,
                classify_desil(desil),
                None,
                "DTSEN 2025",
                assessed,
                True,
                "",
                self.now,
            )
        if roll < 0.77:
            p = 0.8 if desil <= 3 else 0.25
            answers = {key: rng.random() < p for key in c.BPS14_CRITERIA}
            score, result = classify_bps14(answers)
            assessed = TODAY - dt.timedelta(days=rng.randint(10, 700))
            return (
                household_id,
                c.AssessmentMethod.BPS14,
                None,
                json.dumps(answers),
                score,
                result,
                None,
                "Verifikasi lapangan UPT-PK",
                assessed,
                True,
                "",
                self.now,
            )
        return None

    def batch(self, desa_list: list[Region], count: int) -> tuple[int, int]:
        rng = self.rng
        households, people, kks, memberships, assessments = [], [], [], [], []
        for _ in range(count):
            # The first households go round every desa so each area appears; the rest at random.
            self.made += 1
            desa = desa_list[self.made - 1] if self.made <= len(desa_list) else rng.choice(desa_list)
            region6 = desa.nik_prefix
            desil = rng.choices(DESIL, DESIL_WEIGHTS)[0]
            self.counters.household_id += 1
            household_id = self.counters.household_id
            kk_number, issued = self._kk(region6)
            members = self._members(household_id, desil, region6)
            values = {
                "id": household_id,
                "kk_number": kk_number,
                "head_id": members[0][0],
                "desa_id": desa.code,
                "address": f"{rng.choice(names.STREETS)} {rng.choice(names.HAMLETS)}",
                "rt": f"{rng.randint(1, 12):03d}",
                "rw": f"{rng.randint(1, 8):03d}",
                **self._housing(desil),
                "created_at": self.now,
                "updated_at": self.now,
            }
            households.append(tuple(values[column] for column in HOUSEHOLD_COLUMNS))
            people.extend(members)
            kks.append((household_id, kk_number, issued, None, "Data awal"))
            memberships.extend((p[0], household_id, p[RELATIONSHIP], issued, None, "") for p in members)
            assessment = self._assessment(household_id, desil)
            if assessment:
                assessments.append(assessment)
        with transaction.atomic():
            # Foreign keys are deferred to commit, so households may name heads inserted after them.
            bulk_insert(Household, HOUSEHOLD_COLUMNS, households)
            bulk_insert(Person, PERSON_COLUMNS, people)
            bulk_insert(KKNumber, KK_COLUMNS, kks)
            bulk_insert(Membership, MEMBERSHIP_COLUMNS, memberships)
            bulk_insert(PovertyAssessment, ASSESSMENT_COLUMNS, assessments)
        return len(households), len(people)


def _reset_sequences():
    statements = connection.ops.sequence_reset_sql(no_style(), [Household, Person])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def generate(households: int, seed: int = 2012, batch_size: int = 5000, progress=None) -> tuple[int, int]:
    """Add `households` households spread over every desa; returns (households, people) created."""
    desa_list = list(Region.objects.filter(level=Level.DESA).select_related("parent"))
    if not desa_list:
        raise ValueError("Belum ada data wilayah; jalankan `satupintu load-regions` dulu.")
    generator = Generator(seed)
    generator.counters.household_id = Household.objects.aggregate(m=Max("id"))["m"] or 0
    generator.counters.person_id = Person.objects.aggregate(m=Max("id"))["m"] or 0
    made_h = made_p = 0
    remaining = households
    while remaining > 0:
        size = min(batch_size, remaining)
        h, p = generator.batch(desa_list, size)
        made_h, made_p, remaining = made_h + h, made_p + p, remaining - size
        if progress:
            progress(made_h, made_p)
    _reset_sequences()
    status.refresh_all()
    return made_h, made_p
