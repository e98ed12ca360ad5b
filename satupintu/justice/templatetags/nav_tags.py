"""The page frame's tags: the main menu's links, rendered once per language, script prefix and set of
capabilities, and the frame's static assets' addresses, looked up once.

The menu is the same for every user who holds the same capabilities, and for every visitor who is not
signed in, so its HTML is built once in Python and kept: a page pays one dictionary look-up instead
of a score of `{% url %}`, `{% translate %}` and capability checks in the base template."""

from functools import lru_cache

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from satupintu.accounts import permissions as p
from satupintu.accounts.models import Role
from satupintu.cases.workflow import QUEUES
from satupintu.lib.form_renderer import csrf_input
from satupintu.lib.texts import per_language

register = template.Library()

# (url name, label, the capabilities of which one is enough (none: every signed-in user), optional group);
# a label is a literal inside gettext so that makemessages finds it.
STAFF_LINKS = [
    ("registry:household_list", lambda: _("Rumah tangga"), [p.REGISTRY_READ]),
    ("imports:batch_list", lambda: _("Impor"), [p.REGISTRY_READ]),
    ("cases:queue", lambda: _("Permohonan"), sorted({c for queue in QUEUES.values() for c in queue.capabilities})),
    ("cases:referrals", lambda: _("Rujukan"), [p.REFERRAL_RECEIVE]),
    ("budgets:index", lambda: _("Anggaran"), [p.BUDGET_READ]),
    ("raskin:month_list", lambda: _("Raskin"), [p.RASKIN_DISTRIBUTE, p.BUDGET_READ]),
    ("emergency:board", lambda: _("Layanan segera"), [p.AMBULANCE_DISPATCH], "emergency"),
    ("emergency:verifications", lambda: _("Layanan segera"), [p.AMBULANCE_VERIFY], "emergency"),
    ("emergency:summary", lambda: _("Layanan segera"), [p.EMERGENCY_REPORT], "emergency"),
    ("documents:list", lambda: _("Dokumen"), [p.REGISTRY_READ]),
    ("complaints:list", lambda: _("Pengaduan"), [p.COMPLAINT_HANDLE], "complaints"),
    ("complaints:desk_new", lambda: _("Catat pengaduan"), [p.COMPLAINT_TAKE], "complaints"),
    ("justice:monthly", lambda: _("Laporan bulanan"), [p.REGISTRY_READ]),
    ("justice:equity", lambda: _("Keadilan layanan"), [p.EQUITY_REPORT]),
    ("justice:skm", lambda: _("SKM"), [p.EQUITY_REPORT]),
    ("cases:maklumat", lambda: _("Maklumat"), []),
    ("cases:track", lambda: _("Lacak permohonan"), []),
]
PUBLIC_LINKS = [
    ("cases:maklumat", lambda: _("Layanan")),
    ("cases:track", lambda: _("Lacak permohonan")),
    ("complaints:public_new", lambda: _("Pengaduan")),
    ("complaints:track", lambda: _("Lacak pengaduan")),
    ("transparency", lambda: _("Transparansi")),
    ("survey:entry", lambda: _("Survei")),
    ("login", lambda: _("Masuk staf")),
]
# Every capability a staff link depends on, in a fixed order: the key of the kept menus.
CAPABILITIES = tuple(sorted({capability for link in STAFF_LINKS for capability in link[2]}))


def _staff_entries(held: frozenset, is_staff: bool):
    """The staff links `held` opens. A link with a group (the fourth item) is shown only when no earlier
    link of the same group was: the emergency entry goes to the first of board, follow-ups, summary."""
    shown, groups = [], set()
    for name, label, needs, *group in STAFF_LINKS:
        if needs and not held.intersection(needs):
            continue
        if group and group[0] in groups:
            continue
        groups.update(group)
        shown.append((name, label))
    if is_staff:
        shown.append(("admin:index", lambda: _("Admin")))
    return shown


@per_language(maxsize=512)
def _menu(language: str, prefix: str, held: frozenset | None, is_staff: bool) -> str:
    entries = PUBLIC_LINKS if held is None else _staff_entries(held, is_staff)
    return format_html_join("", '<a href="{}">{}</a>', ((reverse(name), label()) for name, label in entries))


@register.simple_tag(takes_context=True)
def main_menu(context) -> str:
    """The menu's links for the request's user, in the active language."""
    user = context.get("user")
    signed_in = user is not None and user.is_authenticated and user.is_active
    held = p.held(user, CAPABILITIES) if signed_in else None
    return _menu(get_language(), get_script_prefix(), held, bool(signed_in and user.is_staff))


@lru_cache(maxsize=32)
def _asset(path: str) -> str:
    return static(path)


@register.simple_tag
def asset(path: str) -> str:
    """`{% static %}` for the frame's own stylesheet, script and icon: the hashed name is found in the
    manifest once per worker, not on every page."""
    return _asset(path)


@per_language
def _frame_text(language: str, prefix: str) -> dict:
    """The frame's fixed words and addresses in one language, escaped."""
    return {
        "skip": escape(_("Langsung ke isi halaman")),
        "menu": escape(_("Menu")),
        "main_menu": escape(_("Menu utama")),
        "logout": escape(_("Keluar")),
        "language": escape(_("Bahasa")),
        "home": escape(reverse("home")),
        "logout_url": escape(reverse("logout")),
        "set_language": escape(reverse("set_language")),
    }


@per_language
def _role_label(language: str, role: str) -> str:
    """A role's name in one language, escaped, as `get_role_display` gives it (which builds the
    choices again at every call)."""
    return escape(dict(Role.choices).get(role, role))


@register.simple_tag(takes_context=True)
def topbar(context) -> str:
    """The page's top bar (skip link, brand, menu, who is signed in, sign-out and language forms),
    written in Python: through template nodes it cost as much as a small page's own content."""
    language, prefix = get_language(), get_script_prefix()
    text = _frame_text(language, prefix)
    user = context.get("user")
    request = context.get("request")
    token = csrf_input(context.get("csrf_token"))
    who = ""
    if user is not None and user.is_authenticated:
        region = f" · {escape(user.region.name)}" if user.region else ""
        name = user.get_full_name() or user.username
        who = (
            f'\n      <span class="who">{escape(name)} · {_role_label(language, user.role)}{region}</span>\n'
            f'      <form method="post" action="{text["logout_url"]}" class="inline">{token}'
            f'<button class="link">{text["logout"]}</button></form>\n    '
        )
    options = "".join(
        f'<option value="{escape(code)}"{" selected" if code == language else ""}>{escape(code.upper())}</option>'
        for code, _name in settings.LANGUAGES
    )
    path = escape(request.get_full_path()) if request is not None else ""
    return mark_safe(  # noqa: S308  every value above is escaped
        f'<a class="skip-link" href="#main">{text["skip"]}</a>\n'
        '<header class="topbar">\n'
        f'  <a class="brand" href="{text["home"]}">Satu Pintu <small>UPT-PK</small></a>\n'
        '  <details class="menu" data-wide-open>\n'
        f"  <summary>{text['menu']}</summary>\n"
        f'  <nav class="nav" aria-label="{text["main_menu"]}">\n'
        f"    {main_menu(context)}\n"
        f"    {who}\n"
        f'    <form action="{text["set_language"]}" method="post" class="inline lang">{token}\n'
        f'      <input name="next" type="hidden" value="{path}">\n'
        "      \n"
        f'      <select name="language" aria-label="{text["language"]}" data-autosubmit>\n'
        f"        {options}\n"
        "      </select>\n"
        "      <noscript><button>OK</button></noscript>\n"
        "    </form>\n"
        "  </nav>\n"
        "  </details>\n"
        "</header>"
    )
