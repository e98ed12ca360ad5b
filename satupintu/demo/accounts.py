"""The demo accounts (one per role and area); the partner agencies are reference data (`accounts/reference.py`)."""

from base64 import b32encode

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from satupintu.accounts.models import Agency, Role, User
from satupintu.accounts.permissions import TWO_FACTOR, has
from satupintu.accounts.reference import ensure_agencies
from satupintu.regions.models import Region

DEMO_PASSWORD = "sragen-demo-2026"
# Every demo account that needs a second factor is enrolled with this one published secret, so that
# whoever tries the demo adds it once to an authenticator app. Never a production practice.
DEMO_TOTP_KEY = b"satupintu-demo-2026!"
DEMO_TOTP_SECRET = b32encode(DEMO_TOTP_KEY).decode()
DEMO_TOTP_URI = f"otpauth://totp/Satu%20Pintu%20demo?secret={DEMO_TOTP_SECRET}&issuer=Satu%20Pintu%20demo"

# username, first name, last name, role, region code, agency code, position
DEMO_USERS = [
    ("admin", "Admin", "Sistem", Role.ADMIN, None, None, "Administrator sistem"),
    ("kepala", "Dra. Sri", "Wahyuni", Role.KEPALA, None, None, "Kepala UPT-PK"),
    ("kasi", "Endang", "Purwanti", Role.KASI, None, None, "Kasi Pelayanan UPT-PK"),
    ("petugas", "Bayu", "Saputra", Role.PETUGAS_LAYANAN, None, None, "Petugas layanan"),
    ("verifikator", "Agus", "Prasetyo", Role.VERIFIKATOR, None, None, "Verifikator lapangan"),
    ("op.keden", "Siti", "Aminah", Role.OPERATOR_DESA, "33.14.01.2001", None, "Operator Desa Keden"),
    ("op.trobayan", "Joko", "Susilo", Role.OPERATOR_DESA, "33.14.01.2002", None, "Operator Desa Trobayan"),
    ("op.kalijambe", "Rina", "Lestari", Role.OPERATOR_KECAMATAN, "33.14.01", None, "TKSK Kecamatan Kalijambe"),
    ("mitra.rsud", "dr. Hendra", "Kusuma", Role.MITRA, None, "rsud-soehadi", "Petugas rujukan RSUD"),
    ("auditor", "Bambang", "Hartono", Role.AUDITOR, None, None, "Inspektorat Daerah"),
]


@transaction.atomic
def ensure_demo_users() -> list[tuple[str, str, str]]:
    ensure_agencies()
    rows = []
    for username, first, last, role, region, agency, position in DEMO_USERS:
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "role": role,
                "region": Region.objects.get(code=region) if region else None,
                "agency": Agency.objects.get(code=agency) if agency else None,
                "position": position,
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        if has(user, TWO_FACTOR):
            TOTPDevice.objects.update_or_create(
                user=user, name="Demo", defaults={"key": DEMO_TOTP_KEY.hex(), "confirmed": True}
            )
        rows.append((username, user.get_role_display(), user.region.name if user.region else "semua wilayah"))
    return rows
