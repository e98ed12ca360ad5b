"""The ambulance's usual destinations every installation needs: the regency's hospitals, linked to
their partner agencies. A data migration creates them; an admin adds puskesmas and clinics, and
nothing here overwrites an edit."""

HOSPITALS = [
    ("RSUD dr. Soehadi Prijonegoro Sragen", "rsud-soehadi"),
    ("RSUD dr. Soeratno Gemolong", "rsud-soeratno"),
]


def ensure_facilities(facility_model=None, agency_model=None) -> None:
    """Create the hospitals that are missing (the migration passes its historical models)."""
    if facility_model is None:
        from satupintu.accounts.models import Agency as agency_model

        from .models import Facility as facility_model
    for name, agency_code in HOSPITALS:
        facility_model.objects.get_or_create(
            name=name, defaults={"kind": "rsud", "agency": agency_model.objects.filter(code=agency_code).first()}
        )
