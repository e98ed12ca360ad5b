"""Facts that README.md and docs/*.md state about the code, checked against the code, so a change
that makes a sentence false fails here until the sentence is fixed too."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class
from django.urls import Resolver404, resolve

from satupintu.catalogue.models import ServiceType
from satupintu.documents.hooks import CARD_SERVICES
from satupintu.documents.models import LetterTemplate

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
OPERATIONS = ROOT / "docs" / "operations.md"
DEPLOY = ROOT / "deploy"
DOCS = [README, *sorted((ROOT / "docs").glob("*.md"))]
SETTINGS_SOURCE = (ROOT / "satupintu" / "settings.py").read_text(encoding="utf-8")
NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
}


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def section(path: Path, heading: str) -> str:
    """The text under a markdown heading, up to the next heading of any level."""
    after = text(path).split(heading + "\n", 1)[1]
    return re.split(r"\n#+ ", after, maxsplit=1)[0]


def backticked(pattern: str) -> set[tuple[Path, str]]:
    return {(doc, match) for doc in DOCS for match in re.findall(rf"`({pattern})`", text(doc))}


def test_the_readme_counts_the_browser_tests_there_are():
    count = sum(
        len(re.findall(r"^def test_", text(path), flags=re.MULTILINE))
        for path in (ROOT / "tests" / "browser").glob("test_*.py")
    )
    [said] = re.findall(r"(\w+) Playwright tests?\b", text(README))
    assert NUMBERS.get(said, said) == count


def test_every_variable_in_the_configuration_table_is_read_by_the_settings():
    rows = [line for line in section(OPERATIONS, "## Configuration").splitlines() if line.startswith("| `")]
    names = {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_*]+)`", row.split("|")[1])}
    assert len(names) > 20
    for name in names:
        # dj_database_url reads DATABASE_URL itself.
        read = name == "DATABASE_URL" and "dj_database_url.config(" in SETTINGS_SOURCE
        assert read or re.search(rf'"{name.replace("*", "[A-Z_]+")}"', SETTINGS_SOURCE), name


def test_every_setting_listed_in_core_md_is_read_by_the_settings():
    names = re.findall(
        r"`([A-Z][A-Z0-9_]+)`", section(ROOT / "docs" / "core.md", "## Settings (all optional, environment variables)")
    )
    assert len(names) > 5
    for name in names:
        assert f'"{name}"' in SETTINGS_SOURCE, name


def test_the_cache_core_md_describes_is_the_configured_one():
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[1]
    assert f"`{backend}`" in text(ROOT / "docs" / "core.md")


def test_every_satupintu_command_in_the_operations_guide_exists():
    found = re.findall(r"^satupintu ([\w-]+)(?: / ([\w-]+))?", text(OPERATIONS), flags=re.MULTILINE)
    commands = {name for pair in found for name in pair if name}
    assert len(commands) > 10
    assert {name.replace("-", "_") for name in commands} <= set(get_commands())


def test_every_deploy_unit_starts_a_command_that_exists_with_options_it_takes():
    units = sorted(DEPLOY.glob("*.service"))
    assert {unit.name for unit in units} >= {f"satupintu-{name}.service" for name in ("web", "worker", "backup")}
    commands = get_commands()
    for unit in units:
        [start] = re.findall(r"^ExecStart=(.+)$", text(unit), flags=re.MULTILINE)
        program, *args = start.split()
        assert program.startswith("/opt/satupintu/.venv/bin/"), unit.name
        if program.endswith("/satupintu"):
            name = args[0].replace("-", "_")
            assert name in commands, f"{unit.name}: {name}"
            # An unknown option or a missing argument exits here.
            load_command_class(commands[name], name).create_parser("satupintu", name).parse_args(args[1:])
        else:
            assert program.endswith("/gunicorn"), unit.name
            assert args == ["-c", "/opt/satupintu/gunicorn.conf.py", settings.WSGI_APPLICATION.rsplit(".", 1)[0]]
    timer = text(DEPLOY / "satupintu-backup.timer")
    assert "OnCalendar=" in timer and (DEPLOY / "satupintu-backup.service").is_file()


def test_every_variable_of_the_deploy_env_file_is_read_by_the_settings_or_gunicorn():
    names = re.findall(r"^([A-Z][A-Z0-9_]*)=", text(DEPLOY / "satupintu.env"), flags=re.MULTILINE)
    assert len(names) > 15
    read = SETTINGS_SOURCE + text(ROOT / "gunicorn.conf.py")
    for name in set(names) - {"DATABASE_URL", "GUNICORN_CMD_ARGS"}:  # dj_database_url and gunicorn read these
        assert f'"{name}"' in read, name
    for unit in DEPLOY.glob("*.service"):
        assert "EnvironmentFile=/etc/satupintu/satupintu.env" in text(unit), unit.name


def test_the_front_web_servers_take_uploads_as_large_as_the_import_allows():
    megabytes = settings.IMPORT_MAX_BYTES // 2**20
    assert f"max_size {megabytes}MB" in text(DEPLOY / "Caddyfile")
    assert f"client_max_body_size {megabytes}m;" in text(DEPLOY / "nginx-satupintu.conf")
    [static_root] = re.findall(r"^STATIC_ROOT=(.+)$", text(DEPLOY / "satupintu.env"), flags=re.MULTILINE)
    assert f"root * {static_root}" in text(DEPLOY / "Caddyfile")
    assert f"alias {static_root}/;" in text(DEPLOY / "nginx-satupintu.conf")


def _exists(reference: str) -> Path | None:
    for base in (ROOT, ROOT / "satupintu", ROOT / "satupintu" / "templates"):
        if (base / reference).is_file():
            return base / reference
    name = Path(reference).name
    for folder in ("satupintu", "tests", "bench"):
        for path in (ROOT / folder).rglob(name):
            if path.as_posix().endswith("/" + reference):
                return path
    return None


def test_every_file_and_name_the_docs_point_to_exists():
    references = backticked(r"[\w./-]+\.(?:py|html|toml|lock|md)(?::\w+)?")
    assert len(references) > 50
    for doc, reference in references:
        if reference.startswith(("../", "/")):
            continue
        path, _colon, name = reference.partition(":")
        found = _exists(path)
        assert found, f"{doc.name}: {path}"
        if name:
            pattern = rf"^\s*(def|class) {name}\b|^{name}\b.*="
            assert re.search(pattern, text(found), flags=re.MULTILINE), f"{doc.name}: {reference}"


def test_every_address_the_docs_name_is_served():
    addresses = backticked(r"(?:(?:GET|POST) )?/[^`\s]*")
    assert len(addresses) > 25
    for doc, address in addresses:
        path = address.split()[-1]
        if path.startswith(("/usr/", "/etc/", "/opt/", "/var/")):  # the server's files (deploy/)
            continue
        path = re.sub(r"<[^>]+>|\{[^}]+\}", "1", re.split(r"[?#]", path)[0])
        try:
            resolve(path)
        except Resolver404:
            pytest.fail(f"{doc.name}: {address}")


@pytest.mark.django_db
def test_the_services_that_issue_paper_in_documents_md_are_the_catalogues():
    doc = text(ROOT / "docs" / "documents.md")
    table = section(ROOT / "docs" / "documents.md", "## What is issued")
    letter_row = next(line for line in table.splitlines() if line.startswith("| letter"))
    letters = set(re.findall(r"`([a-z-]+)`", letter_row.split("|")[2]))
    cards = {
        code for line in table.splitlines() if line.startswith("| Kartu") for code in re.findall(r"`([a-z-]+)`", line)
    }
    paragraph = next(p for p in doc.split("\n\n") if "produce no paper" in p)
    no_paper_sentence = next(s for s in re.split(r"(?<=\.)\s", paragraph) if "produce no paper" in s)
    no_paper = set(re.findall(r"`([a-z-]+)`", no_paper_sentence))
    catalogue = set(ServiceType.objects.values_list("code", flat=True))
    with_letter = set(LetterTemplate.objects.filter(is_active=True).values_list("service_code", flat=True))
    assert letters == with_letter
    assert cards == set(CARD_SERVICES)
    assert no_paper == catalogue - with_letter - set(CARD_SERVICES)
    # Every other sentence about services without paper names them, and only them.
    for part in re.split(r"\n\n|\n- ", doc):
        if "no paper" in part:
            named = set(re.findall(r"`([a-z]+-[a-z-]+)`", part)) & catalogue
            assert named and named <= no_paper, part


def test_the_schedules_in_the_operations_guide_are_the_declared_ones():
    from satupintu.ops.schedules import JOBS

    lines = section(OPERATIONS, "## Background work").splitlines()
    rows = [line.split("|") for line in lines if line.startswith("| `")]
    listed = {re.fullmatch(r" `([\w-]+)` ", row[1]).group(1): int(row[3]) for row in rows}
    assert listed == {job.name: job.minutes for job in JOBS}
