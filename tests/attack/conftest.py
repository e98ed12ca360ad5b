"""The attack suite: outsiders of every role against an area's objects, fuzzing and hostile input."""

import pytest

from satupintu.accounts.models import Agency, Role
from tests.conftest import make_user
from tests.documents.conftest import signing_key  # noqa: F401  (autouse: letters can be signed)

GEMOLONG = "33.14.13"


@pytest.fixture
def outsiders(regions, operator_trobayan, mitra, auditor, petugas, verifikator, kasi, kepala):
    """Every persona by the name the matrix uses; None is the anonymous visitor."""
    other_agency, _created = Agency.objects.get_or_create(code="dinsos-jateng", defaults={"name": "Dinsos Jateng"})
    return {
        "anonymous": None,
        "operator_desa_b": operator_trobayan,
        "operator_kecamatan_other": make_user("op.gemolong", Role.OPERATOR_KECAMATAN, GEMOLONG),
        "mitra_other_agency": mitra,
        "mitra_unrelated": make_user("mitra.dinsos", Role.MITRA, agency=other_agency),
        "auditor": auditor,
        "petugas": petugas,
        "verifikator": verifikator,
        "kasi": kasi,
        "kepala": kepala,
    }
