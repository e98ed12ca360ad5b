"""What a document prints, gathered from the registry into a plain dict (the document's snapshot).

The snapshot is stored with the document: reprints and batch sheets are drawn from it, so later edits
of the registry, the letterhead or a template never change a document already issued.
Documents are official Indonesian papers: callers build content under `translation.override("id")`.
"""

from __future__ import annotations

import datetime as dt

from satupintu.lib.indonesian import format_date, format_place_date
from satupintu.links import public_url
from satupintu.registry.choices import SchoolStatus, Sex

from . import placeholders
from .models import DocumentSettings, Kind, LetterTemplate, Tier

CONTEXT_PLACEHOLDERS = {"keterangan"}  # the only values an issuing call supplies itself


def kop(config: DocumentSettings) -> dict:
    return {
        "government": config.government,
        "unit_name": config.unit_name,
        "unit_short": config.unit_short,
        "address": config.address,
        "contact": config.contact,
    }


def signer_block(config: DocumentSettings, actor) -> dict:
    signer = config.signer or actor
    return {
        "name": signer.get_full_name() or signer.username,
        "position": signer.position or f"Kepala {config.unit_short}",
        "nip": signer.nip,
    }


def _address(household) -> str:
    desa = household.desa
    return f"{household.address} RT {household.rt}/RW {household.rw}, {desa.name}, Kecamatan {desa.parent.name}"


def person_values(person, household) -> dict[str, str]:
    head = household.head
    return {
        "nama": person.name,
        "nik": person.nik or "-",
        "tempat_lahir": person.birth_place,
        "tanggal_lahir": format_date(person.birth_date),
        "jenis_kelamin": str(Sex(person.sex).label),
        "alamat": _address(household),
        "desa": household.desa.name,
        "kecamatan": household.desa.parent.name,
        "nomor_kk": household.kk_number,
        "kepala_keluarga": head.name if head else "-",
    }


def letter_values(*, template, person, household, agency, number, issued_on, config, context) -> dict[str, str]:
    unknown = set(context) - CONTEXT_PLACEHOLDERS
    if unknown:
        raise ValueError(f"Unknown letter context keys: {sorted(unknown)}")
    return {
        **person_values(person, household),
        "nomor_surat": number,
        "tanggal_surat": format_date(issued_on),
        "instansi_tujuan": agency.name,
        "layanan": template.title,
        "nama_unit": config.unit_short,
        "kabupaten": config.regency,
        "keterangan": str(context.get("keterangan", "")),
    }


def letter_content(
    *, template: LetterTemplate, values: dict, agency, config, actor, number, issued_on, token_url
) -> dict:
    def fill(text: str) -> str:
        return placeholders.render(text, values, placeholders.LETTER_PLACEHOLDERS)

    return {
        "title": template.title,
        "number": number,
        "kop": kop(config),
        "place_date": format_place_date(config.place, issued_on),
        "subject": fill(template.subject),
        "addressee": {"name": agency.name, "address": agency.address},
        "opening": fill(template.opening),
        "identity": [
            ["Nama", values["nama"]],
            ["NIK", values["nik"]],
            ["Tempat/Tgl. Lahir", f"{values['tempat_lahir']}, {values['tanggal_lahir']}"],
            ["Jenis Kelamin", values["jenis_kelamin"]],
            ["Alamat", values["alamat"]],
            ["Nomor KK", values["nomor_kk"]],
        ],
        "body": fill(template.body),
        "closing": fill(template.closing),
        "signer": signer_block(config, actor),
        "qr_caption": f"Pindai kode QR atau buka {token_url} untuk memeriksa keaslian surat ini.",
        "footer": f"Diterbitkan melalui Satu Pintu {config.unit_short} · {config.regency}",
        "template": {
            "service_code": template.service_code,
            "subject": template.subject,
            "opening": template.opening,
            "body": template.body,
            "closing": template.closing,
            "updated_at": template.updated_at.isoformat() if template.updated_at else None,
        },
    }


def _card_common(*, config, actor, number, valid_until: dt.date) -> dict:
    signer = signer_block(config, actor)
    return {
        "number": number,
        "government": f"{config.government} · {config.unit_short}",
        "signer_position": signer["position"],
        "signer_name": signer["name"],
        "valid_until": format_date(valid_until),
    }


def saraswati_content(*, household, members, tier: str, config, actor, number, valid_until) -> dict:
    """`members`: the covered members only (catalogue.rules.saraswati_coverage decides who they are)."""
    head = household.head
    common = _card_common(config=config, actor=actor, number=number, valid_until=valid_until)
    return {
        **common,
        "kind": Kind.SARASWATI,
        "title": "KARTU SARASWATI",
        "subtitle": "Sarase Warga Sukowati — jaminan kesehatan daerah",
        "tier": tier,
        "tier_label": Tier(tier).name.title(),
        "front": [
            ["Kepala keluarga", head.name if head else "-"],
            ["Alamat", f"{household.address} RT {household.rt}/RW {household.rw}"],
            ["Desa/Kecamatan", f"{household.desa.name}, {household.desa.parent.name}"],
            ["Berlaku sampai", common["valid_until"]],
        ],
        "back_title": f"ANGGOTA KELUARGA YANG DITANGGUNG · KK {household.kk_number}",
        "back_columns": [["No", 3], ["Nama", 7], ["NIK", 36], ["L/P", 60], ["Tgl. lahir", 66]],
        "back_rows": [
            [str(index), person.name, person.nik or "-", person.sex, person.birth_date.strftime("%d-%m-%Y")]
            for index, person in enumerate(members, start=1)
        ],
        "back_notes": [
            "Berlaku untuk anggota keluarga yang tercantum. Kartu tidak dapat dipindahtangankan.",
            "Periksa keaslian: pindai kode QR di sisi depan.",
        ],
    }


def sintawati_content(*, household, person, config, actor, number, valid_until) -> dict:
    head = household.head
    common = _card_common(config=config, actor=actor, number=number, valid_until=valid_until)
    return {
        **common,
        "kind": Kind.SINTAWATI,
        "title": "KARTU SINTAWATI",
        "subtitle": "Siswa Pintar Warga Sukowati — bantuan pendidikan",
        "tier": "",
        "tier_label": "",
        "front": [
            ["Nama siswa", person.name],
            ["NIK", person.nik or "-"],
            ["Tempat, tanggal lahir", f"{person.birth_place}, {format_date(person.birth_date)}"],
            ["Jenjang", str(SchoolStatus(person.school_status).label)],
            ["Orang tua/wali", head.name if head else "-"],
            ["Berlaku sampai", common["valid_until"]],
        ],
        "back_title": "KETENTUAN",
        "back_columns": [["", 3]],
        "back_rows": [
            ["1. Kartu ini diberikan kepada siswa dari keluarga miskin di Kabupaten Sragen."],
            ["2. Tunjukkan kartu ini kepada sekolah untuk keringanan biaya pendidikan."],
            ["3. Kartu tidak dapat dipindahtangankan; kehilangan segera dilaporkan."],
            ["4. Kartu yang hilang atau rusak diganti dengan nomor baru."],
        ],
        "back_notes": ["Periksa keaslian: pindai kode QR di sisi depan."],
    }


def verify_path_url(token: str) -> str:
    return public_url(f"/v/{token}")
