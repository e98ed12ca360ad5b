"""Documents: a signing key of the test run, the demo agencies, a household with a pupil."""

import datetime as dt
import io

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from satupintu.accounts.reference import ensure_agencies
from satupintu.documents import signing
from satupintu.lib.nik import make_nik
from satupintu.registry import actions


@pytest.fixture(autouse=True)
def signing_key(settings, tmp_path):
    settings.DOCUMENT_SIGNING_KEY = ""
    settings.DOCUMENT_SIGNING_KEY_FILE = tmp_path / "signing-key.pem"
    settings.DOCUMENT_SIGNING_RETIRED_KEYS_FILE = str(tmp_path / "retired-keys.pem")
    settings.DOCUMENT_VERIFY_BASE_URL = "https://satupintu.sragenkab.go.id"
    signing._load.cache_clear()
    yield settings.DOCUMENT_SIGNING_KEY_FILE
    signing._load.cache_clear()


@pytest.fixture
def agencies(db):
    ensure_agencies()


@pytest.fixture
def pupil(keden_household):
    birth = dt.date(2012, 2, 14)
    return actions.person_add(
        actor=None,
        household=keden_household,
        data={
            "nik": make_nik(keden_household.desa.nik_prefix, birth, "P", 901),
            "name": "Dewi Lestari",
            "sex": "P",
            "birth_place": "Sragen",
            "birth_date": birth,
            "relationship": "anak",
            "marital_status": "belum_kawin",
            "education": "sd",
            "school_status": "smp",
        },
    )


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_qr_codes(data: bytes, page_index: int = 0, scale: float = 4) -> list[str]:
    """Render a page like a phone camera would see it and decode every QR code on it."""
    page = pypdfium2.PdfDocument(data)[page_index]
    image = page.render(scale=scale).to_pil()
    codes = zxingcpp.read_barcodes(image)
    return [barcode.text for barcode in codes if barcode.format == zxingcpp.BarcodeFormat.QRCode]


def qr_path(qr_text: str) -> str:
    """The path a phone opens for a QR text (the fragment stays on the phone)."""
    return "/" + qr_text.split("://", 1)[1].split("/", 1)[1].split("#", 1)[0]
