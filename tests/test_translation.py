"""The English catalogue is complete and current, and no user-facing text bypasses gettext.

Four checks: every entry of satupintu/locale/en/…/django.po is translated; the catalogue holds
exactly the messages that `makemessages` extracts from the sources now (run on a copy of the
package, never on the checkout); templates and Python code hold no user-facing literal outside
gettext (a static scan of each); and main pages rendered in a pseudo-English (every message
rewritten into accented letters) show no Indonesian word, whatever the scans did not see.
"""

import ast
import contextlib
import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.db.models import CharField, TextField
from django.template import Engine, engines
from django.template.base import FilterExpression, Node, TextNode, VariableNode
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

import satupintu
from satupintu import parameters
from satupintu.accounts.models import Agency
from satupintu.cases import effects
from satupintu.catalogue.models import Requirement, ServiceStandard, ServiceType
from satupintu.justice.charts import LABEL_CHARS
from satupintu.regions.models import Region

from .conftest import KEDEN, apply_for, household_in

PACKAGE = Path(satupintu.__file__).parent
CATALOGUE = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"
WORD = re.compile(r"[^\W\d_]{2,}")

# Proper names, codes and units that read the same in both languages.
ALLOWED_WORDS = {
    "Satu", "Pintu", "UPT", "PK", "NIK", "KK", "Rp", "Sragen", "RT", "RW", "OK", "QR", "PDF", "CSV",
    "XLSX", "SHA", "IKM", "NRR", "SMS", "WhatsApp", "API", "kg", "m²", "χ²",
}  # fmt: skip


def words_in(text: str) -> list[str]:
    return [w for w in WORD.findall(html.unescape(text)) if w not in ALLOWED_WORDS]


def key(entry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> polib.POFile:
    """The catalogue as `make messages` would write it now: makemessages on a copy of the package."""
    copy = tmp_path_factory.mktemp("messages") / "satupintu"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo"))
    with override_settings(LOCALE_PATHS=[copy / "locale"]), contextlib.chdir(copy):
        call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    return polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))


def test_every_english_message_is_translated():
    catalogue = polib.pofile(str(CATALOGUE))
    missing = [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert not missing, f"{len(missing)} English messages untranslated or fuzzy, e.g.: {missing[:20]}"


def test_the_english_catalogue_holds_the_messages_of_the_sources(extracted):
    current = {key(e) for e in polib.pofile(str(CATALOGUE)) if not e.obsolete}
    wanted = {key(e) for e in extracted if not e.obsolete}
    new = sorted(m[1] for m in wanted - current)
    gone = sorted(m[1] for m in current - wanted)
    assert not new and not gone, (
        f"run `make messages` and translate: {len(new)} messages missing from the catalogue {new[:20]}, "
        f"{len(gone)} no longer in the sources {gone[:20]}"
    )


# --- templates ---------------------------------------------------------------------------------

# Attributes whose value a user reads (or hears, through a screen reader); app.js shows data-confirm
# in a dialog, and app.css shows data-label beside each cell of a responsive table on a phone.
SEEN_ATTRIBUTES = {
    "placeholder", "title", "aria-label", "alt", "aria-description", "aria-roledescription", "label", "data-confirm",
    "data-label",
}  # fmt: skip
# Text inside these elements is code or not shown.
UNSEEN_ELEMENTS = {"script", "style", "code", "pre", "kbd", "samp"}
# Filters whose literal argument is a format, not text.
# A quoted code, not text: "budget.manage", "public-services".
CODE = re.compile(r"[a-z0-9]+(?:[._:/-][a-z0-9]+)+")
FORMAT_FILTERS = {"date", "time", "floatformat", "stringformat", "cut", "join"}


class _SeenText(HTMLParser):
    """The text and the seen attribute values of an HTML page, with their line numbers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.found: list[tuple[int, str, str]] = []  # line, text, how it appears

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in UNSEEN_ELEMENTS
        attributes = dict(attrs)
        for name, value in attrs:
            is_button_text = (
                name == "value" and tag == "input" and attributes.get("type") in {"submit", "button", "reset"}
            )
            if value and (name in SEEN_ATTRIBUTES or is_button_text):
                self.found.append((self.getpos()[0], value, f'{name}="{value}"'))

    def handle_endtag(self, tag):
        self.hidden -= tag in UNSEEN_ELEMENTS and self.hidden > 0

    def handle_data(self, data):
        if not self.hidden:
            self.found.append((self.getpos()[0], data, data))


def template_files() -> list[Path]:
    django_engine = engines["django"].engine
    folders = [Path(d) for d in django_engine.dirs] + sorted(PACKAGE.glob("*/templates"))
    return sorted(p for folder in folders for p in folder.rglob("*") if p.is_file())


def template_literals(source: str, where: str, engine: Engine) -> list[str]:
    """Text of a template that is not inside {% translate %}/{% blocktranslate %}: the source with
    everything but its TextNodes blanked out, read as HTML; and literal strings in variables."""
    nodelist = engine.from_string(source).nodelist
    kept = ["\n" if c == "\n" else " " for c in source]
    for node in nodelist.get_nodes_by_type(TextNode):
        start, end = node.token.position
        kept[start:end] = source[start:end]
    parser = _SeenText()
    parser.feed("".join(kept))
    parser.close()
    found = [f"{where}:{line}: {' '.join(shown.split())}" for line, text, shown in parser.found if words_in(text)]
    for node in nodelist.get_nodes_by_type(Node):
        if any(_shown_literal(e) for e in _expressions(node)):
            found.append(f"{where}:{node.token.lineno}: {node.token.contents}")
    return found


def _expressions(node: Node) -> list[FilterExpression]:
    """The expressions a tag renders: {{ … }} and the values of {% include/with … x="…" %}."""
    if isinstance(node, VariableNode):
        return [node.filter_expression]
    return list(getattr(node, "extra_context", {}).values())


def _shown_literal(expression: FilterExpression) -> bool:
    """A quoted string outside _("…") as the value or as the argument of a filter that shows text.
    The parser resolves constants at once: a quoted string to a str, _("…") to a lazy translation."""
    values = [expression.var] + [
        arg for f, args in expression.filters if f.__name__ not in FORMAT_FILTERS for lookup, arg in args if not lookup
    ]
    return any(isinstance(value, str) and words_in(value) and not CODE.fullmatch(value) for value in values)


def debug_engine() -> Engine:
    """The project's template engine, recording where each node comes from in its source."""
    django_engine = engines["django"].engine
    return Engine(dirs=django_engine.dirs, app_dirs=True, debug=True, libraries=django_engine.libraries, builtins=[])


def test_templates_show_no_text_outside_translate_tags():
    engine = debug_engine()
    found = [
        literal
        for path in template_files()
        for literal in template_literals(path.read_text(), str(path.relative_to(PACKAGE.parent)), engine)
    ]
    assert not found, "text outside {% translate %}:\n" + "\n".join(found)


def test_the_template_scan_finds_text_attributes_and_quoted_strings_outside_translate():
    source = """{% load i18n %}<h1>{% translate "Judul" %}</h1>
<p>Belum ada data</p><input type="submit" value="Simpan">
<input placeholder="{% translate 'Cari' %}" title="Cari {{ q }}"><!-- catatan -->
<script>let teks = "tidak terlihat";</script>{# catatan #}{% blocktranslate %}Halo {{ q }}{% endblocktranslate %}
{{ x|default:"tidak ada" }} {{ d|date:"d F Y" }} {{ y|default:_("tidak ada") }} Rp {{ n }} · NIK
{% include "registry/_none.html" with label="Kosong" %}"""
    found = template_literals(source, "t.html", debug_engine())
    assert found == [
        "t.html:2: Belum ada data",
        't.html:2: value="Simpan"',
        't.html:3: title="Cari "',
        't.html:5: x|default:"tidak ada"',
        't.html:6: include "registry/_none.html" with label="Kosong"',
    ]


# --- Python ------------------------------------------------------------------------------------

GETTEXT = {
    "_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy", "npgettext",
    "npgettext_lazy", "format_lazy",
}  # fmt: skip
# Keyword arguments that Django or the app shows as text.
TEXT_ARGUMENTS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label", "description", "title"}
# Attributes assigned text that Django's admin shows.
TEXT_ATTRIBUTES = {"short_description", "empty_value_display", "site_header", "site_title", "index_title"}
MESSAGE_LEVELS = {"debug", "info", "success", "warning", "error"}
# Dict keys whose value is shown: a JSON answer's message (DRF's "detail"), a widget's attributes.
SHOWN_KEYS = {"detail", "message", "error", "placeholder", "aria-label"}
SHOWN_EXCEPTIONS = {"ValidationError", "Http404", "PermissionDenied", "NotFound", "ParseError"}
# The OpenAPI document is written in English for the developers of other systems.
DEVELOPER_CALLS = {"OpenApiParameter", "OpenApiResponse", "OpenApiExample", "extend_schema"}
# Relation fields name their model first, not their verbose name.
RELATION_FIELDS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


def _name(node) -> str | None:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None


def literal_text(node) -> str | None:
    """The words a value would show untranslated: a string, f-string, "…" % x or "…".format(x)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if words_in(node.value) else None
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        return text if words_in(text) else None
    if isinstance(node, ast.BinOp):
        return literal_text(node.left) or literal_text(node.right)
    if isinstance(node, ast.IfExp):
        return literal_text(node.body) or literal_text(node.orelse)
    if isinstance(node, ast.Call) and _name(node.func) == "format" and isinstance(node.func, ast.Attribute):
        return literal_text(node.func.value)
    return None


def choice_labels(node):
    """The label nodes of a literal choices list: [(value, label), …], groups included."""
    if not isinstance(node, ast.List | ast.Tuple):
        return
    for item in node.elts:
        if isinstance(item, ast.Tuple | ast.List) and len(item.elts) == 2:
            value, label = item.elts
            if isinstance(label, ast.List | ast.Tuple):
                yield value
                yield from choice_labels(label)
            else:
                yield label


class _ShownLiterals(ast.NodeVisitor):
    def __init__(self):
        self.found: list[tuple[int, str]] = []

    def check(self, node):
        text = literal_text(node)
        if text:
            self.found.append((node.lineno, text))

    def check_message(self, node):
        """An error message, or a dict/list of them (DRF's ValidationError({"field": "…"}))."""
        if isinstance(node, ast.Dict):
            for value in node.values:
                self.check_message(value)
        elif isinstance(node, ast.List | ast.Tuple):
            for item in node.elts:
                self.check_message(item)
        else:
            self.check(node)

    def visit_Dict(self, node):
        for item, value in zip(node.keys, node.values, strict=True):
            if isinstance(item, ast.Constant) and item.value in SHOWN_KEYS:
                self.check(value)
        self.generic_visit(node)

    def visit_ClassDef(self, node):
        if {_name(b) for b in node.bases} & {"TextChoices", "IntegerChoices", "Choices"}:
            for statement in node.body:
                if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Tuple):
                    self.check(statement.value.elts[-1])
        self.generic_visit(node)

    def visit_Assign(self, node):
        names = {_name(target) for target in node.targets}
        if names & (TEXT_ATTRIBUTES | {"verbose_name", "verbose_name_plural", "label", "help_text", "empty_label"}):
            self.check(node.value)
        if any(n and n.upper().endswith("CHOICES") for n in names):
            for label in choice_labels(node.value):
                self.check(label)
        self.generic_visit(node)

    def visit_Call(self, node):
        name = _name(node.func)
        if name in GETTEXT or name in DEVELOPER_CALLS:
            return
        for keyword in node.keywords:
            if keyword.arg in TEXT_ARGUMENTS or (keyword.arg == "message" and name in SHOWN_EXCEPTIONS):
                self.check(keyword.value)
            elif keyword.arg == "choices":
                for label in choice_labels(keyword.value):
                    self.check(label)
            elif keyword.arg == "error_messages" and isinstance(keyword.value, ast.Dict):
                for value in keyword.value.values:
                    self.check(value)
        on_messages = isinstance(node.func, ast.Attribute) and _name(node.func.value) == "messages"
        if on_messages and name in MESSAGE_LEVELS and len(node.args) >= 2:
            self.check(node.args[1])
        if name == "add_message" and len(node.args) >= 3:
            self.check(node.args[2])
        if name == "add_error" and len(node.args) >= 2:
            self.check(node.args[1])
        if name in SHOWN_EXCEPTIONS and node.args:
            self.check_message(node.args[0])
        if name and name.endswith("Field") and name not in RELATION_FIELDS and node.args:
            self.check(node.args[0])
        self.generic_visit(node)


# Literals in a shown position that no person reads, each with the reason.
ALLOWED_LITERALS = {
    ("satupintu/health.py", "not found"): "the health server's answer to a monitoring probe",
}


def python_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def test_the_python_scan_finds_labels_messages_and_errors_outside_gettext():
    source = """
class Status(models.TextChoices):
    OPEN = "open", "Terbuka"
    DONE = "done", _("Selesai")
class F(forms.Form):
    desa = forms.ModelChoiceField(label="Desa", queryset=q, empty_label=_("— pilih desa —"))
    kind = forms.ChoiceField(choices=[("a", "Pertama"), ("b", _("Kedua"))])
    class Meta:
        verbose_name = "Formulir"
def view(request):
    messages.success(request, f"Tersimpan {n}")
    messages.error(request, _("Gagal"))
    raise ValidationError({"nik": "NIK salah"})
    return Response({"detail": "Tidak cocok"}, status=404)
search = forms.CharField(widget=forms.TextInput(attrs={"placeholder": "Cari"}))
name = models.CharField("Nama", max_length=10)
param = OpenApiParameter("q", description="Free text")
"""
    visitor = _ShownLiterals()
    visitor.visit(ast.parse(source))
    assert visitor.found == [
        (3, "Terbuka"),
        (6, "Desa"),
        (7, "Pertama"),
        (9, "Formulir"),
        (11, "Tersimpan "),
        (13, "NIK salah"),
        (14, "Tidak cocok"),
        (15, "Cari"),
        (16, "Nama"),
    ]


def test_python_code_shows_no_text_outside_gettext():
    found = []
    for path in python_files():
        visitor = _ShownLiterals()
        visitor.visit(ast.parse(path.read_text(), filename=str(path)))
        where = str(path.relative_to(PACKAGE.parent))
        found += [f"{where}:{line}: {text!r}" for line, text in visitor.found if (where, text) not in ALLOWED_LITERALS]
    assert not found, "user-facing text outside gettext:\n" + "\n".join(found)


# --- pages -------------------------------------------------------------------------------------

# Indonesian words that no name or address of the test data holds.
INDONESIAN = re.compile(
    r"\b(yang|dan|tidak|untuk|dengan|belum|sudah|simpan|permohonan|pengaduan|atau|dari|pada|harus|pilih|semua"
    r"|cari|kembali|baru|rumah tangga|daftar|tanggal|nomor|keluar|masuk|kirim|lacak|layanan|anggota)\b",
    re.IGNORECASE,
)
# A message's placeholders, tags and entities stay as they are in pseudo-English.
UNTOUCHED = re.compile(r"%\([^)]+\)[a-z]|%[a-zA-Z%]|\{[^}]*\}|<[^>]*>|&#?\w+;")
ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "áƀçđéƒĝĥíĵķĺɱñóƥʠŕšţúṽŵẋýžÁƁÇĐÉƑĜĤÍĴĶĹṀÑÓƤɊŔŠŢÚṼŴẊÝŽ",
)


def pseudo(text: str) -> str:
    parts = UNTOUCHED.split(text)
    kept = UNTOUCHED.findall(text)
    return "".join(p.translate(ACCENTED) + (kept[i] if i < len(kept) else "") for i, p in enumerate(parts))


@pytest.fixture(scope="module")
def pseudo_english(extracted, tmp_path_factory) -> Path:
    """A locale folder whose English turns every message of the sources into accented letters:
    Indonesian left on a page in that English came from outside gettext."""
    folder = tmp_path_factory.mktemp("pseudo")
    (folder / "en" / "LC_MESSAGES").mkdir(parents=True)
    for entry in extracted:
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        if entry.msgid_plural:
            entry.msgstr_plural = {0: pseudo(entry.msgid), 1: pseudo(entry.msgid_plural)}
        else:
            entry.msgstr = pseudo(entry.msgid)
    extracted.save_as_mofile(str(folder / "en" / "LC_MESSAGES" / "django.mo"))
    return folder


def test_pseudo_english_keeps_placeholders_tags_and_entities():
    assert pseudo("Simpan %(n)s <b>data</b> &amp; {name} 100%%") == "Šíɱƥáñ %(n)s <b>đáţá</b> &amp; {name} 100%%"


def data_texts() -> list[str]:
    """Text of the database, which a page shows as it is stored: the names of places, agencies and
    services, the catalogue's products and documents, and the legal source of each rule parameter
    (citations of Indonesian regulations)."""
    texts = {parameters.ASSUMPTION}
    for model in (Region, Agency, ServiceType, Requirement, ServiceStandard):
        for row in model.objects.all():
            texts |= {
                getattr(row, f.attname) for f in row._meta.concrete_fields if isinstance(f, CharField | TextField)
            }
    return sorted((t for t in texts if t), key=len, reverse=True)


def rule_explanations(context) -> list[str]:
    """The rules' explanations of a decided application: the record kept with it (`rules_result`,
    also served by the API) reads in the unit's language, like the data."""
    if not context or not context.get("rules_final"):
        return []
    return [c["explanation"] for c in context["rules"]["criteria"]]


def visible_indonesian(page: str, data: list[str]) -> list[str]:
    parser = _SeenText()
    parser.feed(page)
    parser.close()
    found = []
    for line, text, shown in parser.found:
        for value in data:
            text = text.replace(value, " ")
        for value in data:
            text = text.replace(value[:LABEL_CHARS], " ")  # a chart's label: the start of a long name
        if INDONESIAN.search(text):
            found.append(f"line {line}: {' '.join(shown.split())}")
    return found


def test_main_pages_in_english_show_no_indonesian_outside_the_data(
    client, settings, pseudo_english, operator_keden, petugas, kepala
):
    settings.LOCALE_PATHS = [pseudo_english]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    household = household_in(KEDEN, "Sutrisno Wibowo", actor=operator_keden)
    application, _pin = apply_for(operator_keden, household)
    public = [reverse("cases:maklumat"), reverse("cases:track"), reverse("complaints:public_new"), reverse("login")]
    operator = [
        reverse("home"),
        reverse("registry:household_list"),
        reverse("registry:household_create"),
        reverse("registry:household_detail", args=[household.pk]),
        reverse("registry:person_add", args=[household.pk]),
        reverse("cases:intake_find"),
        reverse("cases:intake", args=[household.pk]),
        reverse("cases:detail", args=[application.number]),
        reverse("cases:queue"),
        reverse("registry:death_record", args=[household.head_id]),
        reverse("accounts:password_change"),
    ]
    desk = [
        reverse("home"),
        reverse("cases:detail", args=[application.number]),
        reverse("emergency:call_new"),
        reverse("emergency:visits"),
        reverse("emergency:visit_new"),
        reverse("budgets:index"),
    ]
    head = [
        reverse("home"),
        reverse("complaints:list"),
        reverse("complaints:desk_new"),
        reverse("transparency"),
        reverse("budgets:index"),
        reverse("allocation:list"),
        reverse("raskin:month_list"),
        reverse("emergency:board"),
        reverse("emergency:roster"),
        reverse("cases:appointments"),
        reverse("justice:equity"),
        reverse("justice:skm"),
        reverse("justice:monthly"),
        reverse("documents:list"),
        reverse("imports:batch_list"),
        reverse("imports:pair_list"),
        reverse("targeting:run_list"),
    ]
    found = []
    for user, urls in ((None, public), (operator_keden, operator), (petugas, desk), (kepala, head)):
        if user:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            data = rule_explanations(response.context) + data_texts()
            found += [f"{url} {text}" for text in visible_indonesian(response.content.decode(), data)]
    assert not found, "Indonesian in the English pages:\n" + "\n".join(found)


def test_the_rules_recorded_for_a_decision_read_in_the_units_language(settings, pseudo_english, operator_keden):
    settings.LOCALE_PATHS = [pseudo_english]
    application, _pin = apply_for(operator_keden, household_in(KEDEN, actor=operator_keden))
    with translation.override("en"):
        assert gettext("Bukan PNS/TNI/Polri.") != "Bukan PNS/TNI/Polri."
        effects._enter_decision(application)
    explanations = [c["explanation"] for c in application.rules_result["criteria"]]
    assert "Bukan PNS/TNI/Polri." in explanations
    assert "Tidak memiliki Askes, BPJS non-PBI atau jaminan lain." in explanations
