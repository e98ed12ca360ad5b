"""THE transition table of an application (on the engine of `lib/transitions.py`), and the work
queues it feeds.

Each transition: its sources, target, the capability it needs, a guard that returns an Indonesian
refusal reason (or None), its effect (`effects.py`), the event it appends, whether it needs a
reason, whether it works a queue (fair-queue rule) and the text queued for the applicant. Actions
(actions.py) only ever move an application through `MACHINE`; docs/core.md is drawn from it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from satupintu.accounts import permissions as perm
from satupintu.lib.transitions import Machine, Texts, Transition, no_guard

from . import appointments, effects, recusals
from .models import EventType, Verification
from .status import OPEN_STATUSES, Status


@dataclass(frozen=True)
class CaseTransition(Transition):
    fair: bool = True
    notify: str = ""

    @property
    def roles(self) -> frozenset:
        return perm.roles_with(self.capability)


def household_is_poor(application) -> bool:
    latest = application.household.assessments.filter(is_valid=True).order_by("-assessed_on", "-id").first()
    return latest is not None and latest.result == "miskin"


def documents_complete(application, user, data):
    present = data.get("present")
    missing = [
        check.requirement.name
        for check in application.documents.select_related("requirement")
        if check.requirement.is_required and not (check.present if present is None else check.pk in present)
    ]
    if missing:
        return _("Berkas belum lengkap: %(docs)s.") % {"docs": ", ".join(missing)}
    return None


def poor_in_registry(application, user, data):
    if not household_is_poor(application):
        return _("Rumah tangga belum tercatat miskin di basis data: perlu verifikasi.")
    return None


def not_poor_in_registry(application, user, data):
    if household_is_poor(application):
        return _("Rumah tangga sudah tercatat miskin: gunakan jalur cepat.")
    verifier = data.get("verifier")
    if verifier is None or not appointments.may_verify(verifier, application):
        return _("Pilih verifikator yang bertugas.")
    return None


def assigned_verifier(application, user, data):
    current = application.verifications.first()
    if current is None or current.verifier_id != user.pk:
        return _("Hanya verifikator yang ditugaskan yang dapat mencatat hasil verifikasi.")
    if not appointments.may_verify(user, application):
        return _("Penunjukan Anda sebagai verifikator tidak mencakup permohonan ini atau sudah tidak berlaku.")
    if data.get("recommendation") not in Verification.Recommendation.values:
        return _("Pilih rekomendasi hasil verifikasi.")
    if not (data.get("findings") or "").strip():
        return _("Tuliskan temuan verifikasi.")
    return None


def rules_allow_approval(application, user, data):
    if not application.rules_result.get("eligible") and not (data.get("override_reason") or "").strip():
        return _("Hasil aturan: tidak memenuhi syarat. Persetujuan memerlukan alasan penyimpangan.")
    return None


def rules_allow_rejection(application, user, data):
    if application.rules_result.get("eligible") and not (data.get("override_reason") or "").strip():
        return _("Hasil aturan: memenuhi syarat. Penolakan memerlukan alasan penyimpangan.")
    return None


def agency_given(application, user, data):
    if data.get("agency") is None:
        return _("Pilih instansi mitra tujuan rujukan.")
    return None


def _open_referral(application, user):
    return application.referrals.filter(agency_id=user.agency_id).exclude(state="done").first()


def referral_to_my_agency(application, user, data):
    referral = _open_referral(application, user)
    if referral is None or referral.state != "sent":
        return _("Tidak ada rujukan baru untuk instansi Anda.")
    return None


def acknowledged_referral(application, user, data):
    referral = _open_referral(application, user)
    if referral is None or referral.state != "acknowledged":
        return _("Terima rujukan terlebih dahulu sebelum mencatat hasilnya.")
    if not (data.get("outcome") or "").strip():
        return _("Tuliskan hasil tindak lanjut rujukan.")
    return None


def may(user, capability) -> bool:
    """The permission map; the verification step also to an officer holding an appointment in force
    (whether it covers the case is the guard's question)."""
    return perm.has(user, capability) or (capability == perm.CASE_VERIFY and appointments.holds_any(user))


S = Status
MACHINE = Machine(
    [
        CaseTransition(
            "acknowledge", _("Terima dari desa (diketahui camat)"), frozenset({S.SUBMITTED}), S.RECEIVED,
            perm.CASE_ACKNOWLEDGE, EventType.ACKNOWLEDGED,
            notify=_("Permohonan %(number)s (%(service)s) telah diterima UPT-PK."),
        ),
        CaseTransition(
            "accept_documents", _("Berkas lengkap"), frozenset({S.RECEIVED}), S.DATA_CHECK, perm.CASE_PROCESS,
            EventType.DOCUMENTS_COMPLETE, guard=documents_complete, effect=effects.accept_documents,
        ),
        CaseTransition(
            "return_documents", _("Kembalikan berkas (jam berhenti)"), frozenset({S.RECEIVED}), S.RETURNED,
            perm.CASE_PROCESS, EventType.DOCUMENTS_RETURNED, needs_reason=True,
            notify=_("Berkas permohonan %(number)s belum lengkap: %(reason)s. Mohon dilengkapi."), effect=effects.pause,
        ),
        CaseTransition(
            "resubmit", _("Berkas dilengkapi (jam berjalan lagi)"), frozenset({S.RETURNED}), S.RECEIVED,
            perm.CASE_INTAKE, EventType.DOCUMENTS_RESUBMITTED,
            fair=False, effect=effects.resume,
        ),
        CaseTransition(
            "fast_track", _("Jalur cepat: sudah miskin di basis data"), frozenset({S.DATA_CHECK}), S.DECISION,
            perm.CASE_PROCESS, EventType.FAST_PATH, guard=poor_in_registry, effect=effects.fast_track,
        ),
        CaseTransition(
            "start_verification", _("Tugaskan verifikasi"), frozenset({S.DATA_CHECK}), S.VERIFICATION,
            perm.CASE_ASSIGN_VERIFICATION, EventType.VERIFICATION_ASSIGNED,
            guard=not_poor_in_registry,
            notify=_("Permohonan %(number)s akan diverifikasi petugas UPT-PK (telepon/kunjungan)."),
            effect=effects.start_verification,
        ),
        CaseTransition(
            "record_verification", _("Catat hasil verifikasi"), frozenset({S.VERIFICATION}), S.KASI_APPROVAL,
            perm.CASE_VERIFY, EventType.VERIFICATION_DONE, guard=assigned_verifier, effect=effects.record_verification,
        ),
        CaseTransition(
            "kasi_approve", _("Setujui (kasi)"), frozenset({S.KASI_APPROVAL}), S.KEPALA_APPROVAL,
            perm.CASE_FIRST_APPROVAL, EventType.KASI_APPROVED, needs_reason=True,
        ),
        CaseTransition(
            "kepala_approve", _("Setujui (kepala)"), frozenset({S.KEPALA_APPROVAL}), S.DECISION,
            perm.CASE_SECOND_APPROVAL, EventType.KEPALA_APPROVED, needs_reason=True, effect=effects.kepala_approve,
        ),
        CaseTransition(
            "send_back", _("Kembalikan ke verifikator"), frozenset({S.KASI_APPROVAL, S.KEPALA_APPROVAL}),
            S.VERIFICATION, perm.CASE_DECIDE, EventType.SENT_BACK, needs_reason=True, fair=False,
        ),
        CaseTransition(
            "approve", _("Setujui permohonan"), frozenset({S.DECISION}), S.APPROVED, perm.CASE_DECIDE,
            EventType.APPROVED, guard=rules_allow_approval, needs_reason=True,
            notify=_("Permohonan %(number)s (%(service)s) DISETUJUI."), effect=effects.decide("approved"),
        ),
        CaseTransition(
            "reject", _("Tolak permohonan"), frozenset({S.DECISION}), S.REJECTED, perm.CASE_DECIDE,
            EventType.REJECTED, guard=rules_allow_rejection, needs_reason=True,
            notify=_("Permohonan %(number)s tidak dapat disetujui: %(reason)s."), effect=effects.decide("rejected"),
        ),
        CaseTransition(
            "issue", _("Terbitkan"), frozenset({S.APPROVED}), S.ISSUED, perm.CASE_ISSUE,
            EventType.ISSUED, notify=_("%(service)s untuk permohonan %(number)s telah terbit dan dapat diambil."),
            effect=effects.issue,
        ),
        CaseTransition(
            "refer", _("Rujuk ke instansi mitra"), frozenset({S.APPROVED, S.ISSUED}), S.REFERRED,
            perm.CASE_ISSUE, EventType.REFERRED, guard=agency_given, fair=False,
            notify=_("Permohonan %(number)s dirujuk ke %(agency)s."), effect=effects.refer,
        ),
        CaseTransition(
            "acknowledge_referral", _("Terima rujukan"), frozenset({S.REFERRED}), S.REFERRED,
            perm.REFERRAL_RECEIVE, EventType.REFERRAL_ACKNOWLEDGED, guard=referral_to_my_agency,
            effect=effects.acknowledge_referral,
        ),
        CaseTransition(
            "record_outcome", _("Catat hasil rujukan"), frozenset({S.REFERRED}), S.COMPLETED, perm.REFERRAL_RECEIVE,
            EventType.REFERRAL_DONE, guard=acknowledged_referral, fair=False,
            notify=_("Permohonan %(number)s selesai ditindaklanjuti %(agency)s."), effect=effects.record_outcome,
        ),
        CaseTransition(
            "complete", _("Selesai (diserahkan)"), frozenset({S.ISSUED}), S.COMPLETED, perm.CASE_PROCESS,
            EventType.COMPLETED, fair=False,
        ),
        CaseTransition(
            "withdraw", _("Dicabut pemohon"), OPEN_STATUSES, S.WITHDRAWN,
            perm.CASE_INTAKE, EventType.WITHDRAWN,
            needs_reason=True, fair=False, notify=_("Permohonan %(number)s telah dicabut atas permintaan Anda."),
        ),
        CaseTransition(
            "cancel", _("Batalkan"), OPEN_STATUSES, S.CANCELLED,
            perm.CASE_CANCEL, EventType.CANCELLED, needs_reason=True,
            fair=False, notify=_("Permohonan %(number)s dibatalkan: %(reason)s."),
        ),
    ],
    state=lambda application: application.status,
    may=may,
    gate=recusals.refusal,
    texts=Texts(
        wrong_state=lambda application: _("Tidak dapat dilakukan pada status “%(status)s”.")
        % {"status": application.get_status_display()},
        not_allowed=lambda transition: _("Peran Anda tidak berwenang untuk langkah ini."),
        reason_missing=lambda transition: _("Alasan wajib diisi."),
    ),
)  # fmt: skip
TRANSITIONS = MACHINE.transitions


def available(application, user) -> list[Transition]:
    """Transitions the user's role may try from the current status (guards are checked on submit)."""
    return MACHINE.allowed(user, application.status)


@dataclass(frozen=True)
class Queue:
    name: str
    label: str
    statuses: frozenset
    capabilities: tuple

    @property
    def roles(self) -> frozenset:
        return frozenset().union(*(perm.roles_with(c) for c in self.capabilities))

    def open_to(self, user) -> bool:
        return perm.has_any(user, self.capabilities)


QUEUES = {
    q.name: q
    for q in [
        Queue("kecamatan", _("Menunggu diketahui kecamatan"), frozenset({S.SUBMITTED}),
              (perm.CASE_INTAKE,)),
        Queue("berkas", _("Pemeriksaan berkas"), frozenset({S.RECEIVED}), (perm.CASE_PROCESS,)),
        Queue("dikembalikan", _("Berkas dikembalikan"), frozenset({S.RETURNED}),
              (perm.CASE_INTAKE,)),
        Queue("data", _("Pemeriksaan basis data"), frozenset({S.DATA_CHECK}), (perm.CASE_PROCESS,)),
        Queue("verifikasi", _("Verifikasi"), frozenset({S.VERIFICATION}),
              (perm.CASE_VERIFY, perm.CASE_FIRST_APPROVAL)),
        Queue("kasi", _("Persetujuan kasi"), frozenset({S.KASI_APPROVAL}), (perm.CASE_FIRST_APPROVAL,)),
        Queue("kepala", _("Persetujuan kepala"), frozenset({S.KEPALA_APPROVAL}), (perm.CASE_SECOND_APPROVAL,)),
        Queue("keputusan", _("Keputusan"), frozenset({S.DECISION}), (perm.CASE_DECIDE,)),
        Queue("terbit", _("Siap diterbitkan"), frozenset({S.APPROVED}), (perm.CASE_ISSUE,)),
        Queue("serah", _("Diserahkan/dirujuk"), frozenset({S.ISSUED}), (perm.CASE_PROCESS,)),
        Queue("rujukan", _("Rujukan masuk"), frozenset({S.REFERRED}),
              (perm.REFERRAL_RECEIVE, perm.CASE_PROCESS)),
    ]
}  # fmt: skip


def queues_for(user) -> list[Queue]:
    return [q for q in QUEUES.values() if q.open_to(user)]


def queue_of(status: str) -> Queue | None:
    return next((q for q in QUEUES.values() if status in q.statuses), None)


def as_markdown() -> str:
    """The transition table and queues as Markdown (docs/core.md embeds this; a test keeps them equal)."""
    from .status import Status as St

    def statuses(values) -> str:
        if frozenset(values) == OPEN_STATUSES:
            return "any open status"
        return ", ".join(f"`{s}`" for s in St.values if s in values)

    lines = [
        "| transition | from | to | roles | event | guard | reason | fair queue |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for t in TRANSITIONS.values():
        roles = ", ".join(sorted(str(r) for r in t.roles))
        guard = "—" if t.guard is no_guard else f"`{t.guard.__name__}`"
        lines.append(
            f"| `{t.name}` | {statuses(t.sources)} | `{t.target}` | {roles} | {int(t.event)} | {guard} | "
            f"{'required' if t.needs_reason else '—'} | {'yes' if t.fair else 'no'} |"
        )
    lines += ["", "| queue | statuses | roles |", "|---|---|---|"]
    for q in QUEUES.values():
        lines.append(
            f"| `{q.name}` ({q.label}) | {statuses(q.statuses)} | {', '.join(sorted(str(r) for r in q.roles))} |"
        )
    return "\n".join(lines) + "\n"


def as_mermaid() -> str:
    """The state diagram (withdraw and cancel, possible from every open status, are left out)."""
    return MACHINE.as_mermaid(
        starts=[("submitted", "intake at desa"), ("received", "intake at kecamatan/UPT-PK")],
        ends=["completed", "rejected", "withdrawn", "cancelled"],
        leave_out=OPEN_STATUSES,
    )
