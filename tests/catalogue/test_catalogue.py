import datetime as dt

import pytest

from satupintu.cases.deadlines import due_date_for
from satupintu.catalogue.models import ServiceStandard, ServiceType

pytestmark = pytest.mark.django_db

CODES = [
    "kartu-saraswati", "rujukan-jamkesda", "kartu-sintawati", "beasiswa-prestasi", "rekomendasi-ppa-pkh",
    "biaya-pendidikan-nonformal", "biaya-pendidikan-siswa", "santunan-duka", "rtlh-apbd", "rtlh-csr", "raskin",
    "kursi-roda", "klinik-saraswati", "ambulans-gratis",
]  # fmt: skip


def test_the_catalogue_holds_the_14_services_of_the_domain_brief():
    assert sorted(ServiceType.objects.values_list("code", flat=True)) == sorted(CODES)
    for service in ServiceType.objects.prefetch_related("requirements", "standards"):
        assert service.requirements.exists()
        assert service.standards.get().legal_source


def test_a_changed_standard_applies_only_to_applications_received_after_it():
    saraswati = ServiceType.objects.get(code="kartu-saraswati")
    ServiceStandard.objects.create(
        service=saraswati, kind="working_days", days=3, valid_from=dt.date(2027, 1, 1), legal_source="SOP UPT-PK"
    )
    saraswati = ServiceType.objects.prefetch_related("standards").get(pk=saraswati.pk)
    before, after = saraswati.standard_on(dt.date(2026, 12, 31)), saraswati.standard_on(dt.date(2027, 1, 4))
    assert (before.days, after.days) == (7, 3)
    assert due_date_for(before, dt.date(2026, 12, 31)) == dt.date(2027, 1, 13)
    assert due_date_for(after, dt.date(2027, 1, 4)) == dt.date(2027, 1, 8)  # 5 January is Isra Mi'raj


@pytest.mark.parametrize(
    ("code", "received", "due"),
    [
        ("beasiswa-prestasi", dt.date(2026, 3, 2), dt.date(2026, 12, 31)),
        ("kursi-roda", dt.date(2026, 3, 2), None),
        ("ambulans-gratis", dt.date(2026, 3, 2), dt.date(2026, 3, 2)),
        ("rujukan-jamkesda", dt.date(2026, 12, 23), dt.date(2026, 12, 30)),
    ],
)
def test_each_sla_kind_gives_its_due_date(code, received, due):
    standard = ServiceType.objects.get(code=code).standard_on(received)
    assert due_date_for(standard, received) == due
