import datetime as dt

import pytest

from satupintu import parameters
from satupintu.catalogue.rules import evaluate
from satupintu.parameters.models import ParameterValue
from satupintu.registry.poverty import classify_bps14

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_parameters():
    parameters.clear_cache()
    yield
    parameters.clear_cache()


def test_a_new_parameter_value_applies_only_from_its_start_date():
    ParameterValue.objects.create(
        name="sangduta_amount", value=750_000, valid_from=dt.date(2027, 1, 1), legal_source="Perbup Sragen (uji)"
    )
    facts = {"date_of_death": "2026-12-01", "poverty_method": "dtsen", "desil": 1}
    assert evaluate("santunan-duka", facts, dt.date(2026, 12, 31)).amount == 500_000
    assert evaluate("santunan-duka", facts, dt.date(2027, 1, 4)).amount == 750_000
    assert parameters.at("sangduta_amount", dt.date(2027, 1, 4)).source == "Perbup Sragen (uji)"


def test_the_registry_uses_the_dated_bps_threshold():
    answers = dict.fromkeys(list(classify_bps14.__globals__["BPS14_CRITERIA"])[:8], True)
    assert classify_bps14(answers, dt.date(2026, 11, 1))[1] == "tidak_miskin"
    ParameterValue.objects.create(
        name="bps14_poor_min", value=8, valid_from=dt.date(2027, 1, 1), legal_source="Keputusan uji"
    )
    parameters.clear_cache()
    assert classify_bps14(answers, dt.date(2026, 12, 31))[1] == "tidak_miskin"
    assert classify_bps14(answers, dt.date(2027, 1, 1))[1] == "miskin"


def test_unknown_parameters_are_refused():
    with pytest.raises(KeyError):
        parameters.value("tidak_ada", dt.date(2026, 1, 1))
