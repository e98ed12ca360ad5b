"""Who may do what: the table, checked against the roles the domain brief gives each step."""

import pytest

from satupintu.accounts.models import Role
from satupintu.cases.workflow import TRANSITIONS

R = Role
EXPECTED = {
    "acknowledge": {R.OPERATOR_KECAMATAN, R.PETUGAS_LAYANAN},
    "accept_documents": {R.PETUGAS_LAYANAN},
    "return_documents": {R.PETUGAS_LAYANAN},
    "resubmit": {R.PETUGAS_LAYANAN, R.OPERATOR_DESA, R.OPERATOR_KECAMATAN},
    "fast_track": {R.PETUGAS_LAYANAN},
    "start_verification": {R.PETUGAS_LAYANAN, R.KASI, R.KEPALA},
    "record_verification": {R.VERIFIKATOR},
    "kasi_approve": {R.KASI},
    "kepala_approve": {R.KEPALA},
    "send_back": {R.KASI, R.KEPALA},
    "approve": {R.KASI, R.KEPALA},
    "reject": {R.KASI, R.KEPALA},
    "issue": {R.PETUGAS_LAYANAN, R.KEPALA},
    "refer": {R.PETUGAS_LAYANAN, R.KEPALA},
    "acknowledge_referral": {R.MITRA},
    "record_outcome": {R.MITRA},
    "complete": {R.PETUGAS_LAYANAN},
    "withdraw": {R.PETUGAS_LAYANAN, R.OPERATOR_DESA, R.OPERATOR_KECAMATAN},
    "cancel": {R.PETUGAS_LAYANAN, R.KASI, R.KEPALA, R.ADMIN},
}


def test_every_transition_is_expected():
    assert set(TRANSITIONS) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("role", list(Role))
def test_role_may_apply_transition_only_as_the_table_says(name, role):
    assert (role in TRANSITIONS[name].roles) is (role in EXPECTED[name])


def test_auditor_may_do_nothing():
    assert not any(Role.AUDITOR in t.roles for t in TRANSITIONS.values())


def test_withdrawal_and_cancellation_are_possible_from_every_open_state():
    from satupintu.cases.status import OPEN_STATUSES

    assert TRANSITIONS["withdraw"].sources == OPEN_STATUSES == TRANSITIONS["cancel"].sources
