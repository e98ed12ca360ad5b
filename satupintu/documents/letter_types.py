"""The services whose product is a letter, with their default text (service codes of the domain brief).

This is the seed of `LetterTemplate`: a migration copies it into the database, where an admin edits
it. `klinik-saraswati` and `ambulans-gratis` are served on the spot and the two cards have their own
layout, so they have no letter. Classification codes follow the regional archive classification and
are editable per template; the unit's archivist should confirm them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LetterType:
    code: str
    abbreviation: str
    title: str
    subject: str
    classification: str
    agency: str  # Agency.code of the usual addressee (the issuing call names the actual one)
    body: str


_OPENING = "Yang bertanda tangan di bawah ini Kepala {nama_unit} {kabupaten}, dengan ini memberikan rekomendasi kepada:"
_CLOSING = "Demikian surat rekomendasi ini dibuat untuk dipergunakan sebagaimana mestinya."

LETTER_TYPES = [
    LetterType(
        "rujukan-jamkesda",
        "RJK",
        "Rekomendasi Rujukan Jamkesda",
        "Rekomendasi Rujukan Jamkesda",
        "440",
        "rsud-soehadi",
        "Berdasarkan data keluarga miskin Kabupaten Sragen, yang bersangkutan adalah anggota keluarga "
        "pemegang Kartu Saraswati. Mohon yang bersangkutan dapat dilayani dengan pembiayaan Jaminan "
        "Kesehatan Daerah (Jamkesda) sesuai ketentuan yang berlaku.\n\n{keterangan}",
    ),
    LetterType(
        "rekomendasi-ppa-pkh",
        "PKH",
        "Rekomendasi PPA-PKH",
        "Rekomendasi Pengurangan Pekerja Anak — Program Keluarga Harapan (PPA-PKH)",
        "460",
        "dinsos",
        "Yang bersangkutan berasal dari keluarga miskin di Kabupaten Sragen dan direkomendasikan untuk "
        "mengikuti program Pengurangan Pekerja Anak dalam rangka Program Keluarga Harapan (PPA-PKH).\n\n"
        "{keterangan}",
    ),
    LetterType(
        "biaya-pendidikan-nonformal",
        "BPNF",
        "Rekomendasi Biaya Pendidikan Non Formal",
        "Rekomendasi Bantuan Biaya Pendidikan Non Formal",
        "420",
        "disdik",
        "Yang bersangkutan berasal dari keluarga miskin di Kabupaten Sragen dan direkomendasikan untuk "
        "memperoleh bantuan biaya pendidikan non formal (kejar paket/kursus) sesuai ketentuan yang "
        "berlaku.\n\n{keterangan}",
    ),
    LetterType(
        "biaya-pendidikan-siswa",
        "BPS",
        "Rekomendasi Biaya Pendidikan Siswa",
        "Rekomendasi Bantuan Biaya Pendidikan Siswa",
        "420",
        "disdik",
        "Yang bersangkutan adalah siswa dari keluarga miskin di Kabupaten Sragen dan direkomendasikan "
        "untuk memperoleh keringanan atau bantuan biaya pendidikan sesuai ketentuan yang berlaku.\n\n"
        "{keterangan}",
    ),
    LetterType(
        "beasiswa-prestasi",
        "BSW",
        "Rekomendasi Beasiswa Mahasiswa Berprestasi",
        "Rekomendasi Beasiswa Mahasiswa Berprestasi dari Keluarga Miskin",
        "420",
        "disdik",
        "Yang bersangkutan adalah mahasiswa dari keluarga miskin di Kabupaten Sragen dan direkomendasikan "
        "untuk menerima beasiswa mahasiswa berprestasi tahun anggaran berjalan.\n\n{keterangan}",
    ),
    LetterType(
        "santunan-duka",
        "SDK",
        "Rekomendasi Santunan Uang Duka Cita",
        "Rekomendasi Santunan Uang Duka Cita (Sangduta)",
        "460",
        "dinsos",
        "Keluarga yang bersangkutan adalah keluarga miskin di Kabupaten Sragen yang anggota keluarganya "
        "telah meninggal dunia, dan direkomendasikan untuk menerima santunan uang duka cita sesuai "
        "ketentuan yang berlaku.\n\n{keterangan}",
    ),
    LetterType(
        "rtlh-apbd",
        "RTLH-A",
        "Rekomendasi Perbaikan RTLH (APBD)",
        "Rekomendasi Perbaikan Rumah Tidak Layak Huni — APBD",
        "460",
        "dpu-perkim",
        "Rumah tinggal keluarga yang bersangkutan telah diverifikasi sebagai rumah tidak layak huni dan "
        "direkomendasikan untuk memperoleh bantuan perbaikan dari APBD Kabupaten Sragen.\n\n{keterangan}",
    ),
    LetterType(
        "rtlh-csr",
        "RTLH-C",
        "Rekomendasi Perbaikan RTLH (CSR/Dana Matra)",
        "Rekomendasi Perbaikan Rumah Tidak Layak Huni — CSR/Dana Matra",
        "460",
        "dpu-perkim",
        "Rumah tinggal keluarga yang bersangkutan telah diverifikasi sebagai rumah tidak layak huni dan "
        "direkomendasikan untuk memperoleh bantuan perbaikan dari dana CSR/Dana Matra.\n\n{keterangan}",
    ),
    LetterType(
        "raskin",
        "RSK",
        "Rekomendasi Bantuan Raskin",
        "Rekomendasi Bantuan Beras untuk Keluarga Miskin (Raskin)",
        "460",
        "bulog",
        "Keluarga yang bersangkutan adalah keluarga miskin di Kabupaten Sragen dan direkomendasikan "
        "untuk menerima bantuan beras (raskin) sesuai ketentuan yang berlaku.\n\n{keterangan}",
    ),
    LetterType(
        "kursi-roda",
        "KRD",
        "Rekomendasi Bantuan Kursi Roda",
        "Rekomendasi Bantuan Kursi Roda bagi Penyandang Disabilitas",
        "460",
        "dinsos",
        "Yang bersangkutan adalah penyandang disabilitas dari keluarga miskin di Kabupaten Sragen dan "
        "direkomendasikan untuk menerima bantuan kursi roda.\n\n{keterangan}",
    ),
]

OPENING = _OPENING
CLOSING = _CLOSING
BY_CODE = {letter_type.code: letter_type for letter_type in LETTER_TYPES}


def ensure_letter_templates(template_model=None, agency_model=None) -> None:
    """Create the template of every letter type that has none (existing, edited ones are kept).

    The data migration calls it with historical models; a database flushed by a test calls it plain.
    """
    if template_model is None:
        from satupintu.accounts.models import Agency as agency_model
        from satupintu.documents.models import LetterTemplate as template_model
    for letter_type in LETTER_TYPES:
        template_model.objects.get_or_create(
            service_code=letter_type.code,
            defaults={
                "abbreviation": letter_type.abbreviation,
                "title": letter_type.title,
                "subject": letter_type.subject,
                "classification": letter_type.classification,
                "default_agency": agency_model.objects.filter(code=letter_type.agency).first(),
                "opening": OPENING,
                "body": letter_type.body,
                "closing": CLOSING,
            },
        )
