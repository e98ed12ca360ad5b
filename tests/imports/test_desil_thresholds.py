import datetime as dt

import pytest

from satupintu import parameters
from satupintu.parameters.models import ParameterValue
from satupintu.registry.models import Household, PovertyAssessment
from satupintu.registry.poverty import classify_desil

from .helpers import HEAD, SPOUSE, imported


@pytest.fixture
def desil_poor_max_two():
    """The unit lowers the 'miskin' threshold to desil 2 through the admin, from a past date on."""
    ParameterValue.objects.create(
        name="dtsen_poor_desil_max", value=2, valid_from=dt.date(2020, 1, 1), legal_source="SK uji"
    )
    parameters.clear_cache()
    yield
    parameters.clear_cache()


@pytest.mark.parametrize(
    "fast_path, first_load", [(True, True), (True, False), (False, False)], ids=["first-load", "fast", "general"]
)
def test_import_classifies_desil_by_the_dated_parameter_changed_in_the_admin(
    regions, desil_poor_max_two, fast_path, first_load
):
    imported([HEAD, SPOUSE], fast_path=fast_path, first_load=first_load)
    assessment = PovertyAssessment.objects.get(household=Household.objects.get(kk_number=HEAD["no_kk"]))
    assert assessment.desil == 3
    assert assessment.result == classify_desil(3) == "rentan"
