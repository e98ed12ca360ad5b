"""THE transition table of an application, and the work queues it feeds.

Each transition: its sources, target, the roles allowed, a guard that returns an Indonesian
refusal reason (or None), the event it appends, whether it needs a reason, whether it works a
queue (fair-queue rule) and the text queued for the applicant. Actions (actions.py) only ever
move an application through `check()` of this table; docs/core.md is drawn from it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from satupintu.accounts.models import Role

from .models import EventType, Verification
from .status import OPEN_STATUSES, Status

R = Role


def _no_guard(application, user, data) -> str | None:
    return None


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    target: str
    roles: frozenset
    event: int
    guard: Callable = _no_guard
    needs_reason: bool = False
    fair: bool = True
    notify: str = ""


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
    if verifier is None or verifier.role != Role.VERIFIKATOR or not verifier.is_active:
        return _("Pilih verifikator yang bertugas.")
    return None


def assigned_verifier(application, user, data):
    current = application.verifications.first()
    if current is None or current.verifier_id != user.pk:
        return _("Hanya verifikator yang ditugaskan yang dapat mencatat hasil verifikasi.")
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


S = Status
STAFF = frozenset({R.PETUGAS_LAYANAN})
TRANSITIONS = {
    t.name: t
    for t in [
        Transition(
            "acknowledge", _("Terima dari desa (diketahui camat)"), frozenset({S.SUBMITTED}), S.RECEIVED,
            frozenset({R.OPERATOR_KECAMATAN, R.PETUGAS_LAYANAN}), EventType.ACKNOWLEDGED,
            notify=_("Permohonan %(number)s (%(service)s) telah diterima UPT-PK."),
        ),
        Transition(
            "accept_documents", _("Berkas lengkap"), frozenset({S.RECEIVED}), S.DATA_CHECK, STAFF,
            EventType.DOCUMENTS_COMPLETE, guard=documents_complete,
        ),
        Transition(
            "return_documents", _("Kembalikan berkas (jam berhenti)"), frozenset({S.RECEIVED}), S.RETURNED, STAFF,
            EventType.DOCUMENTS_RETURNED, needs_reason=True,
            notify=_("Berkas permohonan %(number)s belum lengkap: %(reason)s. Mohon dilengkapi."),
        ),
        Transition(
            "resubmit", _("Berkas dilengkapi (jam berjalan lagi)"), frozenset({S.RETURNED}), S.RECEIVED,
            frozenset({R.PETUGAS_LAYANAN, R.OPERATOR_DESA, R.OPERATOR_KECAMATAN}), EventType.DOCUMENTS_RESUBMITTED,
            fair=False,
        ),
        Transition(
            "fast_track", _("Jalur cepat: sudah miskin di basis data"), frozenset({S.DATA_CHECK}), S.DECISION, STAFF,
            EventType.FAST_PATH, guard=poor_in_registry,
        ),
        Transition(
            "start_verification", _("Tugaskan verifikasi"), frozenset({S.DATA_CHECK}), S.VERIFICATION,
            frozenset({R.PETUGAS_LAYANAN, R.KASI, R.KEPALA}), EventType.VERIFICATION_ASSIGNED,
            guard=not_poor_in_registry,
            notify=_("Permohonan %(number)s akan diverifikasi petugas UPT-PK (telepon/kunjungan)."),
        ),
        Transition(
            "record_verification", _("Catat hasil verifikasi"), frozenset({S.VERIFICATION}), S.KASI_APPROVAL,
            frozenset({R.VERIFIKATOR}), EventType.VERIFICATION_DONE, guard=assigned_verifier,
        ),
        Transition(
            "kasi_approve", _("Setujui (kasi)"), frozenset({S.KASI_APPROVAL}), S.KEPALA_APPROVAL,
            frozenset({R.KASI}), EventType.KASI_APPROVED, needs_reason=True,
        ),
        Transition(
            "kepala_approve", _("Setujui (kepala)"), frozenset({S.KEPALA_APPROVAL}), S.DECISION,
            frozenset({R.KEPALA}), EventType.KEPALA_APPROVED, needs_reason=True,
        ),
        Transition(
            "send_back", _("Kembalikan ke verifikator"), frozenset({S.KASI_APPROVAL, S.KEPALA_APPROVAL}),
            S.VERIFICATION, frozenset({R.KASI, R.KEPALA}), EventType.SENT_BACK, needs_reason=True, fair=False,
        ),
        Transition(
            "approve", _("Setujui permohonan"), frozenset({S.DECISION}), S.APPROVED, frozenset({R.KASI, R.KEPALA}),
            EventType.APPROVED, guard=rules_allow_approval, needs_reason=True,
            notify=_("Permohonan %(number)s (%(service)s) DISETUJUI."),
        ),
        Transition(
            "reject", _("Tolak permohonan"), frozenset({S.DECISION}), S.REJECTED, frozenset({R.KASI, R.KEPALA}),
            EventType.REJECTED, guard=rules_allow_rejection, needs_reason=True,
            notify=_("Permohonan %(number)s tidak dapat disetujui: %(reason)s."),
        ),
        Transition(
            "issue", _("Terbitkan"), frozenset({S.APPROVED}), S.ISSUED, frozenset({R.PETUGAS_LAYANAN, R.KEPALA}),
            EventType.ISSUED, notify=_("%(service)s untuk permohonan %(number)s telah terbit dan dapat diambil."),
        ),
        Transition(
            "refer", _("Rujuk ke instansi mitra"), frozenset({S.APPROVED, S.ISSUED}), S.REFERRED,
            frozenset({R.PETUGAS_LAYANAN, R.KEPALA}), EventType.REFERRED, guard=agency_given, fair=False,
            notify=_("Permohonan %(number)s dirujuk ke %(agency)s."),
        ),
        Transition(
            "acknowledge_referral", _("Terima rujukan"), frozenset({S.REFERRED}), S.REFERRED,
            frozenset({R.MITRA}), EventType.REFERRAL_ACKNOWLEDGED, guard=referral_to_my_agency,
        ),
        Transition(
            "record_outcome", _("Catat hasil rujukan"), frozenset({S.REFERRED}), S.COMPLETED, frozenset({R.MITRA}),
            EventType.REFERRAL_DONE, guard=acknowledged_referral, fair=False,
            notify=_("Permohonan %(number)s selesai ditindaklanjuti %(agency)s."),
        ),
        Transition(
            "complete", _("Selesai (diserahkan)"), frozenset({S.ISSUED}), S.COMPLETED, STAFF, EventType.COMPLETED,
            fair=False,
        ),
        Transition(
            "withdraw", _("Dicabut pemohon"), OPEN_STATUSES, S.WITHDRAWN,
            frozenset({R.PETUGAS_LAYANAN, R.OPERATOR_DESA, R.OPERATOR_KECAMATAN}), EventType.WITHDRAWN,
            needs_reason=True, fair=False, notify=_("Permohonan %(number)s telah dicabut atas permintaan Anda."),
        ),
        Transition(
            "cancel", _("Batalkan"), OPEN_STATUSES, S.CANCELLED,
            frozenset({R.PETUGAS_LAYANAN, R.KASI, R.KEPALA, R.ADMIN}), EventType.CANCELLED, needs_reason=True,
            fair=False, notify=_("Permohonan %(number)s dibatalkan: %(reason)s."),
        ),
    ]
}  # fmt: skip


def refusal(transition: Transition, application, user, data: dict) -> str | None:
    """Why `user` may not apply `transition` to `application` now, or None when allowed."""
    if application.status not in transition.sources:
        return _("Tidak dapat dilakukan pada status “%(status)s”.") % {"status": application.get_status_display()}
    if user.role not in transition.roles:
        return _("Peran Anda tidak berwenang untuk langkah ini.")
    if transition.needs_reason and not (data.get("reason") or "").strip():
        return _("Alasan wajib diisi.")
    return transition.guard(application, user, data)


def available(application, user) -> list[Transition]:
    """Transitions the user's role may try from the current status (guards are checked on submit)."""
    return [t for t in TRANSITIONS.values() if application.status in t.sources and user.role in t.roles]


@dataclass(frozen=True)
class Queue:
    name: str
    label: str
    statuses: frozenset
    roles: frozenset


QUEUES = {
    q.name: q
    for q in [
        Queue("kecamatan", _("Menunggu diketahui kecamatan"), frozenset({S.SUBMITTED}),
              frozenset({R.OPERATOR_KECAMATAN, R.OPERATOR_DESA, R.PETUGAS_LAYANAN})),
        Queue("berkas", _("Pemeriksaan berkas"), frozenset({S.RECEIVED}), frozenset({R.PETUGAS_LAYANAN})),
        Queue("dikembalikan", _("Berkas dikembalikan"), frozenset({S.RETURNED}),
              frozenset({R.OPERATOR_DESA, R.OPERATOR_KECAMATAN, R.PETUGAS_LAYANAN})),
        Queue("data", _("Pemeriksaan basis data"), frozenset({S.DATA_CHECK}), frozenset({R.PETUGAS_LAYANAN})),
        Queue("verifikasi", _("Verifikasi"), frozenset({S.VERIFICATION}), frozenset({R.VERIFIKATOR, R.KASI})),
        Queue("kasi", _("Persetujuan kasi"), frozenset({S.KASI_APPROVAL}), frozenset({R.KASI})),
        Queue("kepala", _("Persetujuan kepala"), frozenset({S.KEPALA_APPROVAL}), frozenset({R.KEPALA})),
        Queue("keputusan", _("Keputusan"), frozenset({S.DECISION}), frozenset({R.KASI, R.KEPALA})),
        Queue("terbit", _("Siap diterbitkan"), frozenset({S.APPROVED}), frozenset({R.PETUGAS_LAYANAN, R.KEPALA})),
        Queue("serah", _("Diserahkan/dirujuk"), frozenset({S.ISSUED}), frozenset({R.PETUGAS_LAYANAN})),
        Queue("rujukan", _("Rujukan masuk"), frozenset({S.REFERRED}), frozenset({R.MITRA, R.PETUGAS_LAYANAN})),
    ]
}  # fmt: skip


def queues_for(user) -> list[Queue]:
    return [q for q in QUEUES.values() if user.role in q.roles]


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
        guard = "—" if t.guard is _no_guard else f"`{t.guard.__name__}`"
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
    lines = [
        "stateDiagram-v2",
        "    [*] --> submitted: intake at desa",
        "    [*] --> received: intake at kecamatan/UPT-PK",
    ]
    for t in TRANSITIONS.values():
        if t.sources == OPEN_STATUSES:
            continue
        lines += [f"    {source} --> {t.target}: {t.name}" for source in sorted(t.sources)]
    lines += [f"    {s} --> [*]" for s in ("completed", "rejected", "withdrawn", "cancelled")]
    return "\n".join(lines) + "\n"
