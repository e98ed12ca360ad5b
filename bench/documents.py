"""Benchmark of the documents app: cards per second for a 1,000-card print run, letters per second.

Run from the repository root: `.venv/bin/python bench/documents.py [--cards 1000] [--letters 200]`.
Uses an in-memory SQLite database. Each figure is printed beside a baseline measured in the same run:
ReportLab drawing the same number of pages with one line of a built-in font and no QR code, i.e.
the floor that the PDF library alone costs on this machine.
"""

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DATABASE_URL"] = "sqlite://:memory:"
os.environ.setdefault("DOCUMENT_SIGNING_KEY_FILE", str(Path(tempfile.mkdtemp()) / "bench-key.pem"))
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import getSampleStyleSheet  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate  # noqa: E402

from satupintu.accounts.models import Role, User  # noqa: E402
from satupintu.accounts.reference import ensure_agencies  # noqa: E402
from satupintu.documents import actions  # noqa: E402
from satupintu.documents.render_card import CARD_H, CARD_W, SLOTS, render_sheets  # noqa: E402
from satupintu.lib.nik import make_kk, make_nik  # noqa: E402
from satupintu.regions.loader import SRAGEN_CSV, load_regions  # noqa: E402
from satupintu.regions.models import Region  # noqa: E402
from satupintu.registry import actions as registry  # noqa: E402


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def make_households(count: int):
    desa = Region.objects.get(code="33.14.01.2001")
    households = []
    for serial in range(1, count + 1):
        household = registry.household_create(
            actor=None,
            data={
                "kk_number": make_kk(desa.nik_prefix, dt.date(2019, 3, 4), serial),
                "desa": desa,
                "address": "Dukuh Krajan",
                "rt": "001",
                "rw": "002",
            },
        )
        for index, (name, sex, relationship) in enumerate(
            [("Sutrisno Wibowo", "L", "kepala"), ("Sumiyati", "P", "pasangan"), ("Dewi Lestari", "P", "anak")]
        ):
            birth = dt.date(1975 + 15 * (index == 2), 5, 12)
            registry.person_add(
                actor=None,
                household=household,
                data={
                    "nik": make_nik(desa.nik_prefix, birth, sex, serial * 3 + index),
                    "name": name,
                    "sex": sex,
                    "birth_place": "Sragen",
                    "birth_date": birth,
                    "relationship": relationship,
                    "marital_status": "kawin",
                    "education": "sd",
                },
            )
        household.refresh_from_db()
        households.append(household)
    return households


def baseline_sheets(count: int) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    per_sheet = len(SLOTS)
    for start in range(0, count, per_sheet):
        for _side in ("front", "back"):
            for x, y in SLOTS[: min(per_sheet, count - start)]:
                canvas.rect(x, y, CARD_W, CARD_H)
                canvas.setFont("Helvetica", 8)
                canvas.drawString(x + 10, y + 10, "KARTU SARASWATI MLT.2026.000001")
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def baseline_letters(count: int) -> None:
    style = getSampleStyleSheet()["Normal"]
    for _ in range(count):
        SimpleDocTemplate(io.BytesIO(), pagesize=A4).build([Paragraph("Rekomendasi Rujukan Jamkesda", style)])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--letters", type=int, default=200)
    options = parser.parse_args()

    call_command("migrate", verbosity=0)
    load_regions(SRAGEN_CSV, kabupaten_name="Sragen")
    ensure_agencies()
    kepala = User.objects.create_user("kepala", role=Role.KEPALA, first_name="Sri", position="Kepala UPT-PK")
    households = make_households(50)

    def issue_cards():
        return [
            actions.document_issue_card(
                actor=kepala, kind="saraswati", household=households[i % len(households)], tier="melati"
            )
            for i in range(options.cards)
        ]

    def issue_letters():
        for i in range(options.letters):
            actions.document_issue_letter(
                actor=kepala, service_code="rujukan-jamkesda", subject_household=households[i % len(households)]
            )

    cards, issue_seconds = timed(issue_cards)
    snapshots = [card.content for card in cards]
    sheets, print_seconds = timed(render_sheets, snapshots, "bench")
    _, baseline_print = timed(baseline_sheets, options.cards)
    _, letter_seconds = timed(issue_letters)
    _, baseline_letter = timed(baseline_letters, options.letters)

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, SQLite in memory")
    print(
        f"print run, {options.cards} cards on {len(snapshots) // 10 + bool(len(snapshots) % 10)} A4 sheets "
        f"(front+back, QR, crop marks, {len(sheets) / 1e6:.1f} MB): {options.cards / print_seconds:,.0f} cards/s "
        f"({print_seconds:.2f} s); baseline (boxes + one Helvetica line): "
        f"{options.cards / baseline_print:,.0f} cards/s"
    )
    print(
        f"card issue (number, sign, render ID-1 PDF, store): {options.cards / issue_seconds:,.1f} cards/s "
        f"({issue_seconds:.2f} s)"
    )
    print(
        f"letter issue, {options.letters} letters (number, sign, render A4 PDF, store): "
        f"{options.letters / letter_seconds:,.1f} letters/s ({letter_seconds:.2f} s); "
        f"baseline (one-paragraph A4 PDF, no DB): {options.letters / baseline_letter:,.1f} letters/s"
    )


if __name__ == "__main__":
    main()
