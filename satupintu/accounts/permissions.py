"""The one permission map: what each role may do. Scoping (`scoping.area_q`) says where.

Every check of a user's rights goes through `has(user, capability)` (actions, selectors, forms,
templates through the `can` filter) or the `require(capability)` view decorator. No other module
lists roles; `tests/accounts/test_permissions.py` keeps it so and prints the map per capability.
"""

from functools import lru_cache, wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from .models import Role

REGISTRY_READ = "registry.read"
REGISTRY_WRITE = "registry.write"
IMPORT_APPROVE = "import.approve"
TARGETING_RUN = "targeting.run"
CASE_WORK = "case.work"
CASE_INTAKE = "case.intake"
CASE_ACKNOWLEDGE = "case.acknowledge"
CASE_PROCESS = "case.process"
CASE_ASSIGN_VERIFICATION = "case.assign_verification"
CASE_VERIFY = "case.verify"
CASE_FIRST_APPROVAL = "case.first_approval"
CASE_SECOND_APPROVAL = "case.second_approval"
CASE_DECIDE = "case.decide"
CASE_ISSUE = "case.issue"
CASE_CANCEL = "case.cancel"
CASE_QUEUE_EXCEPTIONS = "case.queue_exceptions"
CASE_APPOINT_VERIFIER = "case.appoint_verifier"
CASE_RECUSAL_REVIEW = "case.recusal_review"
CASE_RECUSAL_OVERRIDE = "case.recusal_override"
REFERRAL_RECEIVE = "referral.receive"
DEADLINE_ESCALATION = "deadline.escalation"
COMPLAINT_TAKE = "complaint.take"
COMPLAINT_HANDLE = "complaint.handle"
COMPLAINT_MANAGE = "complaint.manage"
COMPLAINT_RESPONSE_ESCALATION = "complaint.response_escalation"
DOCUMENT_MANAGE = "document.manage"
EQUITY_REPORT = "report.equity"
BUDGET_MANAGE = "budget.manage"
BUDGET_READ = "budget.read"
LEDGER_RECORD = "ledger.record"
ROUND_OPEN = "round.open"
ROUND_APPROVE = "round.approve"
RASKIN_DISTRIBUTE = "raskin.distribute"
DEATH_RECORD = "death.record"
TWO_FACTOR = "account.two_factor"
ACCOUNT_MANAGE = "account.manage"
AMBULANCE_DISPATCH = "ambulance.dispatch"
AMBULANCE_ROSTER = "ambulance.roster"
AMBULANCE_VERIFY = "ambulance.verify"
CLINIC_VISIT = "clinic.visit"
EMERGENCY_REPORT = "report.emergency"

R = Role
# Who does what, read as a policy: each capability, the roles holding it, and why.
ROLES = {
    # Individual households' data: unit staff and area operators; mitra and auditor never.
    REGISTRY_READ: {
        R.OPERATOR_DESA, R.OPERATOR_KECAMATAN, R.PETUGAS_LAYANAN, R.VERIFIKATOR, R.KASI, R.KEPALA, R.ADMIN,
    },
    # Register and correct households; kasi and kepala decide, they do not type.
    REGISTRY_WRITE: {R.OPERATOR_DESA, R.OPERATOR_KECAMATAN, R.PETUGAS_LAYANAN, R.VERIFIKATOR, R.ADMIN},
    IMPORT_APPROVE: {R.KEPALA, R.ADMIN},
    TARGETING_RUN: {R.KEPALA, R.ADMIN},
    # Work queues and case pages (a mitra sees the referrals to its agency only).
    CASE_WORK: set(Role) - {R.AUDITOR},
    # Take a request at a desk (desa, kecamatan, UPT-PK), resubmit its documents or withdraw it.
    CASE_INTAKE: {R.OPERATOR_DESA, R.OPERATOR_KECAMATAN, R.PETUGAS_LAYANAN},
    # A desa's request is acknowledged at the kecamatan (for the camat) or at the UPT-PK desk.
    CASE_ACKNOWLEDGE: {R.OPERATOR_KECAMATAN, R.PETUGAS_LAYANAN},
    # Document check, database check, fast path, hand-over.
    CASE_PROCESS: {R.PETUGAS_LAYANAN},
    CASE_ASSIGN_VERIFICATION: {R.PETUGAS_LAYANAN, R.KASI, R.KEPALA},
    CASE_VERIFY: {R.VERIFIKATOR},
    CASE_FIRST_APPROVAL: {R.KASI},
    CASE_SECOND_APPROVAL: {R.KEPALA},
    # Approve, reject, send back to the verifier.
    CASE_DECIDE: {R.KASI, R.KEPALA},
    # Issue the card or letter, refer to a partner agency.
    CASE_ISSUE: {R.PETUGAS_LAYANAN, R.KEPALA},
    CASE_CANCEL: {R.PETUGAS_LAYANAN, R.KASI, R.KEPALA, R.ADMIN},
    CASE_QUEUE_EXCEPTIONS: {R.KASI, R.KEPALA, R.ADMIN},
    # Appoint another officer (TKSK, desa or kecamatan staff) to verify a case or a set of desa.
    CASE_APPOINT_VERIFIER: {R.KASI, R.KEPALA},
    # Review a shared-surname flag on a case (confirm the relation or clear it with a reason).
    CASE_RECUSAL_REVIEW: {R.KASI, R.KEPALA},
    # Let a recused officer act on a case after all, with a recorded reason.
    CASE_RECUSAL_OVERRIDE: {R.KEPALA},
    REFERRAL_RECEIVE: {R.MITRA},
    # Told when a case passes its due date or a complaint its resolution date.
    DEADLINE_ESCALATION: {R.KEPALA},
    COMPLAINT_TAKE: {
        R.OPERATOR_DESA, R.OPERATOR_KECAMATAN, R.PETUGAS_LAYANAN, R.VERIFIKATOR, R.KASI, R.KEPALA, R.ADMIN,
    },
    # See the ordinary tier and be assigned to it (the sensitive tier is the integrity group's).
    COMPLAINT_HANDLE: {R.PETUGAS_LAYANAN, R.KASI, R.KEPALA, R.ADMIN},
    # Assign and close the ordinary tier.
    COMPLAINT_MANAGE: {R.KASI, R.KEPALA, R.ADMIN},
    # Told when a complaint's first response is late.
    COMPLAINT_RESPONSE_ESCALATION: {R.KASI, R.KEPALA},
    # Revoke, reissue and batch-print cards; operators only read their area's documents.
    DOCUMENT_MANAGE: {R.PETUGAS_LAYANAN, R.KEPALA, R.ADMIN},
    # The equity audit and the SKM results: aggregates, no personal data.
    EQUITY_REPORT: {R.KASI, R.KEPALA, R.AUDITOR, R.ADMIN},
    # Budget programmes: ceilings and their revisions are set by the section and the head of the unit.
    BUDGET_MANAGE: {R.KASI, R.KEPALA, R.ADMIN},
    # Budgets, realisation and the ledger: aggregates and payment rows, no registry editing.
    BUDGET_READ: {R.KASI, R.KEPALA, R.AUDITOR, R.ADMIN, R.PETUGAS_LAYANAN},
    # Record a payment or a handover in the ledger, and its reversing row.
    LEDGER_RECORD: {R.PETUGAS_LAYANAN, R.KASI, R.KEPALA},
    # Open an allocation round; only the head approves it (approving commits the budget).
    ROUND_OPEN: {R.KASI, R.KEPALA},
    ROUND_APPROVE: {R.KEPALA},
    # Record the monthly rice handover at the distribution point of a desa.
    RASKIN_DISTRIBUTE: {R.OPERATOR_DESA, R.OPERATOR_KECAMATAN, R.PETUGAS_LAYANAN},
    # Record a resident's death (desa report, Dukcapil extract, hospital letter).
    DEATH_RECORD: {R.OPERATOR_DESA, R.OPERATOR_KECAMATAN, R.PETUGAS_LAYANAN, R.VERIFIKATOR},
    # The 24-hour ambulance desk: take a call, dispatch a vehicle on shift, record each step.
    AMBULANCE_DISPATCH: {R.PETUGAS_LAYANAN, R.KASI, R.KEPALA},
    # Vehicles, drivers and their shifts.
    AMBULANCE_ROSTER: {R.KASI, R.KEPALA, R.ADMIN},
    # Close the follow-up verification of a patient carried with unknown eligibility.
    AMBULANCE_VERIFY: {R.PETUGAS_LAYANAN, R.VERIFIKATOR, R.KASI, R.KEPALA},
    # Register a Klinik Saraswati visit (card check, service, referral letter).
    CLINIC_VISIT: {R.PETUGAS_LAYANAN},
    # Response times and visit counts: aggregates, no personal data.
    EMERGENCY_REPORT: {R.KASI, R.KEPALA, R.AUDITOR, R.ADMIN},
    # Reset a user's second factor, give a temporary password, make and revoke API tokens (Django admin).
    ACCOUNT_MANAGE: {R.ADMIN},
}  # fmt: skip
# A second factor at login (TOTP or a recovery code) for whoever reads the registry or decides and
# approves: the holders of these capabilities, derived so that the rule follows the map.
_DECIDING = (REGISTRY_READ, IMPORT_APPROVE, CASE_DECIDE, CASE_FIRST_APPROVAL, CASE_SECOND_APPROVAL, ROUND_APPROVE)
ROLES[TWO_FACTOR] = set().union(*(ROLES[capability] for capability in _DECIDING))
ROLES = {capability: frozenset(roles) for capability, roles in ROLES.items()}

# The Django superuser holds these whatever its role (the registry, documents, approvals, reports);
# case steps and complaints stay with the role, so a superuser acts on a case only in its role.
SUPERUSER = frozenset(
    {
        REGISTRY_READ,
        REGISTRY_WRITE,
        IMPORT_APPROVE,
        TARGETING_RUN,
        DOCUMENT_MANAGE,
        EQUITY_REPORT,
        TWO_FACTOR,
        ACCOUNT_MANAGE,
    }
)


def has(user, capability: str) -> bool:
    """Whether an active, logged-in `user` holds `capability`."""
    roles = ROLES[capability]
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.role in roles or (user.is_superuser and capability in SUPERUSER)


def held(user, capabilities: tuple) -> frozenset:
    """Which of `capabilities` an active, signed-in `user` holds: `has` for each, decided once per role."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return _held(user.role, user.is_superuser, capabilities)


@lru_cache(maxsize=256)
def _held(role: str, is_superuser: bool, capabilities: tuple) -> frozenset:
    return frozenset(c for c in capabilities if role in ROLES[c] or (is_superuser and c in SUPERUSER))


def has_any(user, capabilities) -> bool:
    return any(has(user, capability) for capability in capabilities)


def roles_with(capability: str) -> frozenset:
    return ROLES[capability]


def holders_q(capability: str) -> Q:
    """A User filter for the holders of `capability` (active or not: the caller decides)."""
    q = Q(role__in=ROLES[capability])
    return q | Q(is_superuser=True) if capability in SUPERUSER else q


def require(capability: str):
    """View decorator: login required (else the login page), then `capability` (else 403)."""
    if capability not in ROLES:  # a misspelt capability fails at import, not at the first request
        raise KeyError(capability)

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
