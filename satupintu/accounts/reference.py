"""The partner agencies of Kabupaten Sragen: reference data every installation needs.

A data migration creates them (a plain `migrate` gives services and letter templates their usual
agency); an admin may edit or add agencies afterwards, and nothing here overwrites an edit.
"""

AGENCIES = [
    ("rsud-soehadi", "RSUD dr. Soehadi Prijonegoro Sragen", "Jl. Raya Sukowati No. 534, Sragen"),
    ("rsud-soeratno", "RSUD dr. Soeratno Gemolong", "Jl. Raya Gemolong, Sragen"),
    ("dinkes", "Dinas Kesehatan Kabupaten Sragen", "Sragen"),
    ("disdik", "Dinas Pendidikan dan Kebudayaan Kabupaten Sragen", "Sragen"),
    ("dinsos", "Dinas Sosial Kabupaten Sragen", "Sragen"),
    ("dpu-perkim", "Dinas Perumahan, Kawasan Permukiman dan Pertanahan Kabupaten Sragen", "Sragen"),
    ("bulog", "Perum Bulog Sub Divre Surakarta", "Surakarta"),
]


def ensure_agencies(agency_model=None) -> None:
    """Create the agencies that are missing; existing rows (perhaps edited by an admin) stay as they are.

    The data migration calls it with the historical model; a database flushed by a test calls it plain.
    """
    if agency_model is None:
        from .models import Agency as agency_model
    for code, name, address in AGENCIES:
        agency_model.objects.get_or_create(code=code, defaults={"name": name, "address": address})
