from html import escape as html_escape
from urllib.parse import quote

from django import template
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext
from django.utils.translation import gettext as _

from satupintu.lib.paging import pager_html
from satupintu.lib.texts import forget_with_translations, per_language

register = template.Library()


@register.filter
def days_left(value):
    """“3 hari kerja lagi”, “hari ini”, “lewat 2 hari kerja”."""
    if value is None:
        return "—"
    if value > 0:
        return ngettext("%(n)s hari kerja lagi", "%(n)s hari kerja lagi", value) % {"n": value}
    if value == 0:
        return _("jatuh tempo hari ini")
    return ngettext("lewat %(n)s hari kerja", "lewat %(n)s hari kerja", -value) % {"n": -value}


@register.filter
def rupiah(value):
    if value in (None, ""):
        return "—"
    return "Rp " + f"{int(value):,}".replace(",", ".")


CRITERION_LABELS = {
    "rumah_tangga_miskin": gettext_lazy("Rumah tangga tercatat miskin"),
    "terdaftar_dtsen": gettext_lazy("Terdaftar di DTSEN"),
    "tanpa_jaminan_lain": gettext_lazy("Tidak punya jaminan kesehatan lain"),
    "tanpa_jaminan_kesehatan": gettext_lazy("Belum punya jaminan kesehatan apa pun"),
    "siswa_sd_sma": gettext_lazy("Ada anak yang bersekolah SD sampai SMA"),
    "mahasiswa_ptn": gettext_lazy("Kuliah di perguruan tinggi negeri"),
    "ipk": gettext_lazy("IPK mencapai batas"),
    "masa_pendaftaran": gettext_lazy("Diajukan dalam masa pendaftaran"),
    "kematian_tercatat": gettext_lazy("Kematian sudah tercatat"),
    "penyandang_disabilitas": gettext_lazy("Ada anggota penyandang disabilitas"),
    "ditanggung_saraswati": gettext_lazy("Ditanggung Kartu Saraswati"),
    "pemegang_saraswati": gettext_lazy("Memegang Kartu Saraswati"),
}


@register.filter
def criterion_label(name):
    """The condition a rule checks, in words (the explanation beside it says what the data shows)."""
    return CRITERION_LABELS.get(name) or str(name).replace("_", " ").capitalize()


@register.filter
def status_label(code):
    """An application status code as its Indonesian label ("" for none)."""
    from ..status import Status

    return Status(code).label if code in Status.values else code


# The case's steps for the stepper: each step and the statuses in which the case is at it.
STEPS = [
    (gettext_lazy("Diajukan"), {"submitted"}),
    (gettext_lazy("Pemeriksaan berkas"), {"received", "returned"}),
    (gettext_lazy("Cek basis data"), {"data_check"}),
    (gettext_lazy("Verifikasi"), {"verification"}),
    (gettext_lazy("Persetujuan"), {"kasi_approval", "kepala_approval"}),
    (gettext_lazy("Keputusan"), {"decision"}),
    (gettext_lazy("Penerbitan"), {"approved"}),
    (gettext_lazy("Diserahkan / selesai"), {"issued", "referred", "completed"}),
]


@register.filter
def case_steps(application):
    """[(number, label, state)] with state "done", "current" or "todo"; a case closed early (rejected,
    withdrawn, cancelled) has no current step."""
    return _steps(application.status)


def _steps(status: str) -> list:
    current = next((index for index, (_label, statuses) in enumerate(STEPS) if status in statuses), None)
    if status == "completed":
        current = len(STEPS)
    steps = []
    for index, (label, _statuses) in enumerate(STEPS):
        if current is None:
            state = "todo"
        else:
            state = "done" if index < current else "current" if index == current else "todo"
        steps.append((index + 1, label, state))
    return steps


@per_language
def _stepper(language: str, status: str) -> str:
    """The case page's stepper for a case in `status`, in one language (`case_stepper`)."""
    done = escape(pgettext("langkah yang sudah dilalui", "selesai"))
    items = []
    for number, label, state in _steps(status):
        current = ' aria-current="step"' if state == "current" else ""
        hidden = f'<span class="visually-hidden"> ({done})</span>' if state == "done" else ""
        number = f'<span class="step-number">{number}</span>'
        items.append(f'\n  <li class="step-{state}"{current}>{number} {escape(label)}{hidden}</li>')
    label = escape(_("Tahapan permohonan"))
    return f'<ol class="stepper" aria-label="{label}">{"".join(items)}\n</ol>'


@register.simple_tag
def case_stepper(application):
    """The steps of the case with the one it is at (`case_steps`), written once per language and status:
    through template nodes its eight steps cost as much as a small page."""
    return mark_safe(_stepper(get_language(), application.status))  # noqa: S308  escaped in _stepper


@register.simple_tag
def case_timeline(events):
    """The case page's history (its `Event`s, oldest first), written in Python: through template nodes
    each event cost a translation, a date and a URL lookup of its own. What each shows: when, what,
    the change of status, who (the system when no one), the document it issued and the reason."""
    marker = "987654321"  # the document page's address with a marker where the document's key goes
    extras = [e.extra if isinstance(e.extra, dict) else {} for e in events]
    document_url = reverse("documents:detail", args=[marker]) if any(x.get("document") for x in extras) else ""
    system = escape(_("sistem"))
    zone = timezone.get_current_timezone()
    items = []
    for e, extra in zip(events, extras, strict=True):
        change = ""
        if e.from_status and e.from_status != e.to_status:
            words = _("dari “%(old)s” ke “%(new)s”") % {
                "old": escape(status_label(e.from_status)),
                "new": escape(status_label(e.to_status)),
            }
            change = f'<span class="muted">({words})</span>'
        actor = escape(e.actor.get_full_name() or e.actor.username) if e.actor else system
        document = ""
        if extra.get("document"):
            href = html_escape(document_url.replace(marker, str(int(extra["document"]))))
            document = f'· <a href="{href}">{escape(extra.get("document_number", ""))}</a>'
        reason = f'<div class="reason">{escape(e.reason)}</div>' if e.reason else ""
        items.append(
            f'\n  <li class="ev-{e.type}"><time>{e.at.astimezone(zone).strftime("%d/%m/%Y %H:%M")}</time> '
            f"<strong>{escape(e.get_type_display())}</strong>\n    {change}\n    · {actor}\n    {document}\n"
            f"    {reason}</li>\n  "
        )
    return mark_safe(f'<ol class="timeline" id="timeline">\n  {"".join(items)}\n</ol>')  # noqa: S308  escaped


@per_language
def _queue_text(language: str, prefix: str) -> dict:
    """A work queue page's fixed words and addresses in one language, escaped (`queue_page`, `queue_rows`)."""
    marker = "0NUMBER0"  # the detail page's address with a marker where the number goes
    return {
        "labels": {
            key: escape(text)
            for key, text in (
                ("number", _("Nomor")),
                ("service", _("Layanan")),
                ("applicant", _("Pemohon")),
                ("desa", _("Desa/kel.")),
                ("received", _("Diterima")),
                ("due", _("Batas waktu")),
                ("verification", _("Batas verifikasi")),
                ("left", _("Sisa")),
            )
        },
        "paused": escape(_("jam berhenti")),
        "empty": escape(_("Antrean kosong.")),
        "marker": marker,
        "detail": reverse("cases:detail", args=[marker]),
        "title": escape(_("Antrean kerja")),
        "queue": escape(_("Antrean")),
        "new": escape(_("Permohonan baru")),
        "intake": html_escape(reverse("cases:intake_find")),
        "previous": escape(_("Sebelumnya")),
        "next": escape(_("Berikutnya")),
        "pages": escape(_("Halaman")),
    }


# The HTML of a queue row, kept per worker under everything it is written from: the row's values, the
# language, the site's address prefix, the time zone and the queue (a row's text is the same on every
# page that shows it, and on every view of it until one of its values changes).
ROWS_KEPT = 8192
_rows_kept: dict[tuple, str] = {}
forget_with_translations(_rows_kept.clear)


@register.simple_tag
def queue_rows(page, queue_name: str):
    """The rows of a work queue page (cases/queue.html), written in Python: with 50 rows of eight
    cells, rendering them through template nodes cost more than the rest of the page. The rows are
    the view's `QueueRow`s (cases/views.py), read afresh on every view; the labels are translated once
    per language (`_queue_text`), the values escaped by the standard library's `html.escape` (what
    Django's `escape` calls, without its wrapper), a page's repeated names (services, desa) once each,
    and a row already written with the same values is not written again (`_rows_kept`)."""
    language, prefix, zone = get_language(), get_script_prefix(), timezone.get_current_timezone()
    text = _queue_text(language, prefix)
    labels, paused, marker, detail = text["labels"], text["paused"], text["marker"], text["detail"]
    verifying = queue_name == "verifikasi"
    # A page's rows share few dates and few "days left": each is written once per page.
    dates: dict = {None: "—"}
    lefts: dict = {}

    def day(value) -> str:
        if value not in dates:
            dates[value] = value.strftime("%d/%m/%Y")
        return dates[value]

    names: dict = {}

    def name(value: str) -> str:
        if (escaped := names.get(value)) is None:
            escaped = names[value] = html_escape(value)
        return escaped

    def write(a) -> str:
        late = a.days_left is not None and a.days_left < 0
        domain = name(a.domain)
        verification = ""
        if verifying:
            verification = (
                f'<td class="verification-due" data-label="{labels["verification"]}">{day(a.verification_due)}</td>'
            )
        number = html_escape(a.number)
        href = html_escape(detail.replace(marker, quote(a.number)))
        if a.paused_since:
            left = paused
        elif (left := lefts.get(a.days_left)) is None:
            left = lefts[a.days_left] = html_escape(days_left(a.days_left))
        return (
            f'<tr class="dom-{domain}{" overdue" if late else ""}">'
            f'<td class="mono" data-label="{labels["number"]}"><a href="{href}">{number}</a></td>'
            f'<td data-label="{labels["service"]}"><span class="folder dom-{domain}" aria-hidden="true"></span>'
            f"{name(a.service)}</td>"
            f'<td data-label="{labels["applicant"]}">{html_escape(a.applicant)}</td>'
            f'<td data-label="{labels["desa"]}">{name(a.desa)}</td>'
            f'<td data-label="{labels["received"]}">{a.received_at.astimezone(zone).strftime("%d/%m/%Y %H:%M")}</td>'
            f'<td data-label="{labels["due"]}">{day(a.due_date)}</td>'
            f"{verification}"
            f'<td class="{"late" if late else ""}" data-label="{labels["left"]}">{left}</td></tr>'
        )

    rows = []
    for a in page:
        key = (language, prefix, zone, verifying, a)
        if (row := _rows_kept.get(key)) is None:
            if len(_rows_kept) >= ROWS_KEPT:
                _rows_kept.clear()
            row = _rows_kept[key] = write(a)
        rows.append(row)
    if not rows:
        rows.append(f'<tr><td colspan="8">{text["empty"]}</td></tr>')
    return mark_safe("\n".join(rows))  # noqa: S308  every value above is escaped


@register.simple_tag
def referral_rows(page):
    """The rows of a partner agency's referral inbox (cases/referrals.html), written in Python from the
    view's `ReferralRow`s, the labels translated once per page."""
    from ..models import DeadlineState, Referral

    marker = "0NUMBER0"
    detail = reverse("cases:detail", args=[marker])
    zone = timezone.get_current_timezone()
    states = {value: html_escape(str(label)) for value, label in Referral.State.choices}
    deadlines = {value: html_escape(str(label)) for value, label in DeadlineState.choices}
    rows = []
    for r in page:
        number = html_escape(r.application__number)
        href = html_escape(detail.replace(marker, quote(r.application__number)))
        open_ = r.state != Referral.State.DONE
        late = "late" if open_ and r.deadline_state == DeadlineState.OVERDUE else ""
        badge = ""
        if open_ and r.deadline_state != DeadlineState.ON_TIME:
            state = html_escape(r.deadline_state)
            badge = f' <span class="badge deadline-{state}">{deadlines.get(r.deadline_state, state)}</span>'
        due = r.due_date.strftime("%d/%m/%Y") if r.due_date else "—"
        rows.append(
            f'\n    <tr class="dom-{html_escape(r.application__service__domain)}">\n'
            f'      <td class="mono"><a href="{href}">{number}</a></td>\n'
            f"      <td>{html_escape(r.application__service__name)}</td>"
            f"<td>{html_escape(r.application__applicant__name)}<br>"
            f'<small class="muted">{html_escape(r.application__desa__name)}</small></td>\n'
            f"      <td>{r.sent_at.astimezone(zone).strftime('%d/%m/%Y %H:%M')}</td>\n"
            f'      <td class="{late}">{due}{badge}</td>\n'
            f"      <td>{states.get(r.state, html_escape(r.state))}</td>\n"
            "    </tr>\n  "
        )
    if not rows:
        empty = escape(_("Belum ada rujukan."))
        return mark_safe(f'<tr><td colspan="6">{empty}</td></tr>')  # noqa: S308  escaped
    return mark_safe("".join(rows))  # noqa: S308  every value above is escaped


@register.simple_tag(takes_context=True)
def queue_page(context):
    """A work queue page's content (cases/queue.html): title, tabs with their counts, the table and
    its pager, written in Python like its rows (`queue_rows`); the view's context is its input."""
    from satupintu.accounts.permissions import CASE_INTAKE, has

    user, page, current = context["user"], context["page"], context["current"]
    counted_at = context.get("counted_at")
    text = _queue_text(get_language(), get_script_prefix())
    name = html_escape(current.name)
    intake = ""
    if has(user, CASE_INTAKE):
        intake = f'<a class="button" href="{text["intake"]}">{text["new"]}</a>'
    active = ' aria-current="page" class="active"'
    tabs = "".join(
        f'<a href="?antrean={html_escape(q.name)}"{active if q == current else ""}>'
        f'{html_escape(str(q.label))} <span class="count">{n}</span></a>'
        for q, n in context["tabs"]
    )
    counted = ""
    if counted_at:
        at = timezone.localtime(counted_at).strftime("%H:%M")
        note = _("Jumlah per antrean dihitung pukul %(at)s; daftar di bawah ini terkini.") % {"at": at}
        counted = f'<p class="muted small">{html_escape(note)}</p>'
    order = _("%(label)s: urut waktu diterima (yang lebih dulu dilayani lebih dulu).") % {"label": current.label}
    columns = ["number", "service", "applicant", "desa", "received", "due"]
    if current.name == "verifikasi":
        columns.append("verification")
    columns.append("left")
    head = "".join(f'<th scope="col">{text["labels"][column]}</th>' for column in columns)
    pager = pager_html(page, f"antrean={name}&amp;", text)
    return mark_safe(  # noqa: S308  every value above is escaped
        f'<div class="titlebar">\n  <h1>{text["title"]}</h1>\n  {intake}\n</div>\n'
        f'<nav class="tabs" aria-label="{text["queue"]}">\n  {tabs}\n</nav>\n\n'
        f"{counted}\n"
        f'<p class="muted">{html_escape(order)}</p>\n'
        '<div class="table-wrap">\n<table class="table cases responsive">\n'
        f"  <thead><tr>{head}</tr></thead>\n  <tbody>\n  {queue_rows(page, current.name)}\n  </tbody>\n"
        f"</table>\n</div>\n{pager}"
    )
