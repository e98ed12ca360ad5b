"""A server with a document, media files and a signing key; an empty database to restore into."""

import pytest
from django.db import connections

from satupintu.accounts.models import Role
from satupintu.accounts.reference import ensure_agencies
from satupintu.documents import actions as documents
from satupintu.documents import signing
from tests.conftest import KEDEN, household_in, make_user

RESTORED = "restored"


def on_postgresql() -> bool:
    return connections["default"].vendor == "postgresql"


@pytest.fixture
def server(settings, tmp_path):
    """This server's media folder (one uploaded file) and signing key file."""
    media = tmp_path / "media"
    (media / "impor").mkdir(parents=True)
    (media / "impor" / "dtsen-keden.csv").write_text("nik,nama\n3314015205790001,Sumiyati\n")
    settings.MEDIA_ROOT = media
    settings.DOCUMENT_SIGNING_KEY = ""
    settings.DOCUMENT_SIGNING_KEY_FILE = tmp_path / "signing-key.pem"
    settings.DOCUMENT_SIGNING_RETIRED_KEYS_FILE = str(tmp_path / "retired-keys.pem")
    settings.DOCUMENT_VERIFY_BASE_URL = "https://satupintu.sragenkab.go.id"
    signing._load.cache_clear()
    yield settings
    signing._load.cache_clear()


@pytest.fixture
def issued_cards(server, regions):
    """Two cards: one signed by a key since retired, one by the current key."""
    ensure_agencies()
    petugas = make_user("petugas", Role.PETUGAS_LAYANAN)
    household = household_in(KEDEN, "Sutrisno Wibowo")
    old = documents.document_issue_card(actor=petugas, kind="saraswati", household=household, tier="menur")
    signing.rotate()
    new = documents.document_issue_card(actor=petugas, kind="saraswati", household=household, tier="menur")
    return old, new


@pytest.fixture
def new_server(server, tmp_path):
    """The settings of another machine: no media files and no signing key yet."""

    def move():
        server.MEDIA_ROOT = tmp_path / "new-server" / "media"
        server.DOCUMENT_SIGNING_KEY_FILE = tmp_path / "new-server" / "signing-key.pem"
        server.DOCUMENT_SIGNING_RETIRED_KEYS_FILE = str(tmp_path / "new-server" / "retired-keys.pem")
        signing._load.cache_clear()
        return server

    return move


@pytest.fixture
def empty_database(tmp_path):
    """A second, empty database (no tables), reachable as the connection alias `restored`."""
    default = connections["default"]
    if on_postgresql():
        name = f"{default.settings_dict['NAME']}_restored"
        with default.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
    else:
        name = str(tmp_path / "restored.sqlite3")
    connections.settings[RESTORED] = {**default.settings_dict, "NAME": name}
    # Connected here: the test case lets no alias but its own open a connection itself.
    connections[RESTORED].connect()
    yield connections[RESTORED]
    connections[RESTORED].close()
    del connections[RESTORED]
    del connections.settings[RESTORED]
    if on_postgresql():
        with default.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
