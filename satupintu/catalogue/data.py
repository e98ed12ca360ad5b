"""The reference catalogue of the domain brief §3 (codes are fixed). Loaded by a data migration.

Standards cite their source; a deployment adds a new dated standard (admin) instead of editing one.
"""

import datetime as dt

from satupintu.parameters import assumed

# The completion periods are the unit's published standard as Table 3 of the paper on UPT-PK Sragen
# reports it; the paper gives no period for the two immediate services, whose 30 minutes is assumed.
STANDARD = "Standar pelayanan UPT-PK Sragen (Sutikno & Pribadi 2023, Tabel 3)"
STANDARD_IMMEDIATE = assumed("standar pelayanan UPT-PK Sragen: dilayani segera, waktu tanggap 30 menit")
SINCE = dt.date(2012, 1, 1)  # Perbup Sragen 2/2012 set the unit up

KK = ("kk", "Kartu Keluarga (KK)")
KTP = ("ktp", "KTP pemohon")
PENGANTAR = ("surat-pengantar", "Surat pengantar kepala desa/lurah diketahui camat")

# code, name, domain, agency code, product, (kind, days, minutes), extra requirements
SERVICES = [
    (
        "kartu-saraswati",
        "Penerbitan Kartu Saraswati",
        "kesehatan",
        "dinkes",
        "Kartu Saraswati",
        ("working_days", 7, None),
        [],
    ),
    (
        "rujukan-jamkesda",
        "Rekomendasi Rujukan Jamkesda",
        "kesehatan",
        "rsud-soehadi",
        "Surat rekomendasi rujukan",
        ("working_days", 3, None),
        [("kartu-saraswati", "Kartu Saraswati"), ("surat-rujukan", "Surat rujukan puskesmas/dokter")],
    ),
    (
        "kartu-sintawati",
        "Penerbitan Kartu Sintawati",
        "pendidikan",
        "disdik",
        "Kartu Sintawati",
        ("working_days", 7, None),
        [("keterangan-sekolah", "Surat keterangan aktif sekolah")],
    ),
    (
        "beasiswa-prestasi",
        "Beasiswa mahasiswa berprestasi dari keluarga miskin",
        "pendidikan",
        "disdik",
        "Beasiswa Rp 12.000.000 per tahun",
        ("fiscal_year", None, None),
        [("diterima-ptn", "Bukti diterima di perguruan tinggi negeri"), ("transkrip", "Transkrip nilai (IPK)")],
    ),
    (
        "rekomendasi-ppa-pkh",
        "Rekomendasi PPA-PKH",
        "sosial_ekonomi",
        "dinsos",
        "Surat rekomendasi",
        ("working_days", 3, None),
        [],
    ),
    (
        "biaya-pendidikan-nonformal",
        "Rekomendasi biaya pendidikan non formal",
        "pendidikan",
        "disdik",
        "Surat rekomendasi",
        ("working_days", 3, None),
        [("keterangan-lembaga", "Surat keterangan lembaga kursus")],
    ),
    (
        "biaya-pendidikan-siswa",
        "Rekomendasi biaya pendidikan siswa",
        "pendidikan",
        "disdik",
        "Surat rekomendasi",
        ("working_days", 3, None),
        [("keterangan-sekolah", "Surat keterangan aktif sekolah")],
    ),
    (
        "santunan-duka",
        "Santunan uang duka cita (Sangduta)",
        "sosial_ekonomi",
        "dinsos",
        "Santunan Rp 500.000",
        ("fiscal_year", None, None),
        [("akta-kematian", "Akta/surat keterangan kematian")],
    ),
    (
        "rtlh-apbd",
        "Perbaikan rumah tidak layak huni — APBD",
        "sosial_ekonomi",
        "dpu-perkim",
        "Bantuan perbaikan rumah",
        ("fiscal_year", None, None),
        [("bukti-tanah", "Bukti kepemilikan tanah"), ("foto-rumah", "Foto kondisi rumah")],
    ),
    (
        "rtlh-csr",
        "Perbaikan rumah tidak layak huni — CSR / Dana Matra",
        "sosial_ekonomi",
        "dpu-perkim",
        "Bantuan perbaikan rumah",
        ("working_days", 7, None),
        [("bukti-tanah", "Bukti kepemilikan tanah"), ("foto-rumah", "Foto kondisi rumah")],
    ),
    (
        "raskin",
        "Bantuan raskin (beras)",
        "sosial_ekonomi",
        "bulog",
        "Beras bersubsidi",
        ("fiscal_year", None, None),
        [],
    ),
    (
        "kursi-roda",
        "Bantuan kursi roda bagi penyandang disabilitas",
        "kesehatan",
        "dinsos",
        "Kursi roda",
        ("none", None, None),
        [("keterangan-dokter", "Surat keterangan dokter")],
    ),
    (
        "klinik-saraswati",
        "Klinik Saraswati",
        "kesehatan",
        "dinkes",
        "Pemeriksaan kesehatan",
        ("immediate", None, 30),
        [],
    ),
    (
        "ambulans-gratis",
        "Ambulans gratis",
        "kesehatan",
        "rsud-soehadi",
        "Layanan ambulans",
        ("immediate", None, 30),
        [],
    ),
]
BASE_REQUIREMENTS = [KK, KTP, PENGANTAR]
# Clinic and ambulance are served at once: the card or KK is enough.
LIGHT_REQUIREMENTS = {"klinik-saraswati": [KK], "ambulans-gratis": [KK]}


def requirements_for(code: str, extra: list) -> list[tuple[str, str]]:
    return [*LIGHT_REQUIREMENTS.get(code, BASE_REQUIREMENTS), *extra]


def load(ServiceType, Requirement, ServiceStandard, Agency) -> None:  # noqa: N803 - model classes
    """Create or update the reference services; idempotent, links agencies that exist."""
    agencies = {a.code: a for a in Agency.objects.all()}
    for order, (code, name, domain, agency, product, (kind, days, minutes), extra) in enumerate(SERVICES, 1):
        service, _created = ServiceType.objects.update_or_create(
            code=code,
            defaults={"name": name, "domain": domain, "product": product, "order": order},
        )
        if service.agency_id is None and agency in agencies:
            service.agency = agencies[agency]
            service.save(update_fields=["agency"])
        for position, (req_code, req_name) in enumerate(requirements_for(code, extra), 1):
            Requirement.objects.get_or_create(
                service=service, code=req_code, defaults={"name": req_name, "order": position}
            )
        ServiceStandard.objects.get_or_create(
            service=service,
            valid_from=SINCE,
            defaults={
                "kind": kind,
                "days": days,
                "minutes": minutes,
                "legal_source": STANDARD_IMMEDIATE if kind == "immediate" else STANDARD,
            },
        )


def load_current() -> None:
    from satupintu.accounts.models import Agency

    from .models import Requirement, ServiceStandard, ServiceType
    from .versions import changed

    load(ServiceType, Requirement, ServiceStandard, Agency)
    changed()
