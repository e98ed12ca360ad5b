"""A plain `migrate` (no demo) leaves every service and letter template with its usual agency."""

from satupintu.accounts.models import Agency
from satupintu.catalogue.data import SERVICES
from satupintu.catalogue.models import ServiceType
from satupintu.documents.letter_types import LETTER_TYPES
from satupintu.documents.models import LetterTemplate


def test_the_partner_agencies_exist_after_migrate(db):
    assert {"rsud-soehadi", "disdik", "dinsos", "dpu-perkim"} <= set(Agency.objects.values_list("code", flat=True))


def test_every_service_with_a_usual_agency_is_linked_to_it_after_migrate(db):
    expected = {code: agency for code, _name, _domain, agency, *_rest in SERVICES if agency}
    linked = dict(ServiceType.objects.filter(code__in=expected).values_list("code", "agency__code"))
    assert linked == expected


def test_every_letter_template_has_its_default_addressee_after_migrate(db):
    expected = {t.code: t.agency for t in LETTER_TYPES}
    linked = dict(LetterTemplate.objects.values_list("service_code", "default_agency__code"))
    assert linked == expected
