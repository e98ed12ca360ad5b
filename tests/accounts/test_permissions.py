"""The permission map, read as a policy: per capability, which demo users hold it.

Each row names the demo accounts (README, "Demo accounts") holding the capability; `admin` is the
Django superuser of role admin. A policy person changes a row here and the map together.
"""

import ast
from pathlib import Path

import pytest

from satupintu.accounts import permissions as perm
from satupintu.accounts.models import Role, User

DEMO_USERS = {
    "admin": (Role.ADMIN, True),
    "kepala": (Role.KEPALA, False),
    "kasi": (Role.KASI, False),
    "petugas": (Role.PETUGAS_LAYANAN, False),
    "verifikator": (Role.VERIFIKATOR, False),
    "op.keden": (Role.OPERATOR_DESA, False),
    "op.kalijambe": (Role.OPERATOR_KECAMATAN, False),
    "mitra.rsud": (Role.MITRA, False),
    "auditor": (Role.AUDITOR, False),
}

POLICY = {
    perm.REGISTRY_READ: "admin kepala kasi petugas verifikator op.keden op.kalijambe",
    perm.REGISTRY_WRITE: "admin petugas verifikator op.keden op.kalijambe",
    perm.IMPORT_APPROVE: "admin kepala",
    perm.TARGETING_RUN: "admin kepala",
    perm.CASE_WORK: "admin kepala kasi petugas verifikator op.keden op.kalijambe mitra.rsud",
    perm.CASE_INTAKE: "petugas op.keden op.kalijambe",
    perm.CASE_ACKNOWLEDGE: "petugas op.kalijambe",
    perm.CASE_PROCESS: "petugas",
    perm.CASE_ASSIGN_VERIFICATION: "kepala kasi petugas",
    perm.CASE_VERIFY: "verifikator",
    perm.CASE_FIRST_APPROVAL: "kasi",
    perm.CASE_SECOND_APPROVAL: "kepala",
    perm.CASE_DECIDE: "kepala kasi",
    perm.CASE_ISSUE: "kepala petugas",
    perm.CASE_CANCEL: "admin kepala kasi petugas",
    perm.CASE_QUEUE_EXCEPTIONS: "admin kepala kasi",
    perm.CASE_APPOINT_VERIFIER: "kepala kasi",
    perm.CASE_RECUSAL_REVIEW: "kepala kasi",
    perm.CASE_RECUSAL_OVERRIDE: "kepala",
    perm.REFERRAL_RECEIVE: "mitra.rsud",
    perm.DEADLINE_ESCALATION: "kepala",
    perm.COMPLAINT_TAKE: "admin kepala kasi petugas verifikator op.keden op.kalijambe",
    perm.COMPLAINT_HANDLE: "admin kepala kasi petugas",
    perm.COMPLAINT_MANAGE: "admin kepala kasi",
    perm.COMPLAINT_RESPONSE_ESCALATION: "kepala kasi",
    perm.DOCUMENT_MANAGE: "admin kepala petugas",
    perm.EQUITY_REPORT: "admin kepala kasi auditor",
    perm.BUDGET_MANAGE: "admin kepala kasi",
    perm.BUDGET_READ: "admin kepala kasi auditor petugas",
    perm.LEDGER_RECORD: "kepala kasi petugas",
    perm.ROUND_OPEN: "kepala kasi",
    perm.ROUND_APPROVE: "kepala",
    perm.RASKIN_DISTRIBUTE: "op.keden op.kalijambe petugas",
    perm.DEATH_RECORD: "op.keden op.kalijambe petugas verifikator",
    perm.TWO_FACTOR: "admin kepala kasi petugas verifikator op.keden op.kalijambe",
    perm.ACCOUNT_MANAGE: "admin",
    perm.AMBULANCE_DISPATCH: "kepala kasi petugas",
    perm.AMBULANCE_ROSTER: "admin kepala kasi",
    perm.AMBULANCE_VERIFY: "kepala kasi petugas verifikator",
    perm.CLINIC_VISIT: "petugas",
    perm.EMERGENCY_REPORT: "admin kepala kasi auditor",
}


def _user(name: str, *, active: bool = True) -> User:
    role, superuser = DEMO_USERS[name]
    return User(username=name, role=role, is_superuser=superuser, is_active=active)


def test_every_capability_has_a_policy_row():
    assert set(POLICY) == set(perm.ROLES)


@pytest.mark.parametrize("capability", sorted(POLICY))
def test_capability_is_held_by_the_demo_users_the_policy_names(capability):
    holders = {name for name in DEMO_USERS if perm.has(_user(name), capability)}
    assert holders == set(POLICY[capability].split())


@pytest.mark.parametrize("name", sorted(DEMO_USERS))
def test_an_inactive_user_holds_nothing(name):
    assert not any(perm.has(_user(name, active=False), capability) for capability in perm.ROLES)


def test_a_misspelt_capability_fails_when_the_view_is_declared():
    with pytest.raises(KeyError):
        perm.require("registry.raed")


ROOT = Path(__file__).resolve().parents[2] / "satupintu"
# The map's own app, and the demo generators, which create the personas of each role.
OWNERS = ("accounts/", "demo/", "migrations/")


def _role_checks(tree: ast.AST):
    """Lines that compare a role, filter users by role or list roles."""

    def is_role(node) -> bool:
        return (isinstance(node, ast.Attribute) and node.attr == "role") or (
            isinstance(node, ast.Name) and node.id == "role"
        )

    def is_member(node) -> bool:
        return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in ("Role", "R")

    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(is_role(n) for n in [node.left, *node.comparators]):
            yield node.lineno
        elif isinstance(node, ast.keyword) and node.arg in ("role", "role__in"):
            yield node.lineno
        elif isinstance(node, ast.Set | ast.List | ast.Tuple) and any(is_member(e) for e in node.elts):
            yield node.lineno
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("set", "frozenset"):
            if any(is_member(a) or (isinstance(a, ast.Name) and a.id == "Role") for a in node.args):
                yield node.lineno


def test_roles_are_listed_and_checked_only_in_the_permission_map():
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(OWNERS) or "/migrations/" in relative:
            continue
        found += [f"{relative}:{line}" for line in _role_checks(ast.parse(path.read_text(encoding="utf-8")))]
    assert found == []


def test_templates_ask_the_map_not_the_role():
    templates = [*ROOT.rglob("templates/**/*.html")]
    assert templates
    assert [str(t.relative_to(ROOT)) for t in templates if "user.role" in t.read_text(encoding="utf-8")] == []
