"""The public verification page: no login, no NIK, every scan logged."""

from django.urls import reverse

from satupintu.documents import actions
from satupintu.documents.models import Scan
from tests.documents.conftest import qr_path


def issue(actor, household):
    return actions.document_issue_letter(actor=actor, service_code="rujukan-jamkesda", subject_household=household)


def test_an_anonymous_visitor_sees_type_number_date_status_and_a_masked_name(client, kepala, keden_household, agencies):
    letter = issue(kepala, keden_household)
    response = client.get(qr_path(letter.qr_text))
    html = response.content.decode()
    assert response.status_code == 200
    for expected in ["Rekomendasi Rujukan Jamkesda", letter.number, "Su****** Wi****", "SAH"]:
        assert expected in html
    assert "Sutrisno" not in html
    for member in keden_household.members.all():
        assert member.nik not in html and member.nik[:6] + "*" not in html
    assert keden_household.kk_number not in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_each_scan_is_counted_in_one_row_per_reader_and_day(client, kepala, keden_household, agencies):
    letter = issue(kepala, keden_household)
    client.get(qr_path(letter.qr_text), HTTP_USER_AGENT="Kamera HP")
    client.get(qr_path(letter.qr_text))
    client.get(qr_path(letter.qr_text), REMOTE_ADDR="10.1.2.3")
    scans = list(letter.scans.order_by("id"))
    assert [(scan.ip_address, scan.status, scan.count) for scan in scans] == [
        ("127.0.0.1", "valid", 2),
        ("10.1.2.3", "valid", 1),
    ]
    assert scans[0].user_agent == "Kamera HP"


def test_anonymous_openings_of_random_codes_add_one_row_per_address_and_day(client, db):
    for attempt in range(20):
        client.get(f"/v/AAAAAAAAAAAAAAAAAAAA{attempt:02d}")
    scan = Scan.objects.get()
    assert (scan.document, scan.status, scan.count) == (None, "unknown", 20)


def test_the_verification_page_is_rate_limited_per_address(client, settings, kepala, keden_household, agencies):
    settings.SATUPINTU_VERIFY_LIMIT = 3
    letter = issue(kepala, keden_household)
    codes = [client.get(qr_path(letter.qr_text)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get(qr_path(letter.qr_text))
    assert refused["Retry-After"] == "600" and 'data-role="throttled"' in refused.content.decode()
    assert letter.scans.get().count == 3  # a refused opening writes nothing
    assert client.get(qr_path(letter.qr_text), REMOTE_ADDR="10.1.2.3").status_code == 200


def test_an_unknown_token_says_so_and_is_logged(client, db):
    response = client.get("/v/AAAAAAAAAAAAAAAAAAAAAA")
    assert response.status_code == 404
    assert "TIDAK DIKENAL" in response.content.decode()
    assert Scan.objects.get().document is None


def test_the_token_is_unguessable(kepala, keden_household, agencies):
    tokens = {issue(kepala, keden_household).token for _ in range(3)}
    assert len(tokens) == 3 and all(len(token) >= 22 for token in tokens)


def test_the_public_key_is_published_without_login(client, db):
    response = client.get(reverse("verify:public_key"))
    assert response.status_code == 200
    assert response.content.startswith(b"Key-ID: ")
    assert b"\n-----BEGIN PUBLIC KEY-----\n" in response.content


def test_the_key_in_settings_is_used_when_given(client, settings, db):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from satupintu.documents import signing

    key = Ed25519PrivateKey.generate()
    settings.DOCUMENT_SIGNING_KEY = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    signing._load.cache_clear()
    expected = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    key_line = f"Key-ID: {signing.key_id(key.public_key())}\n".encode()
    assert client.get(reverse("verify:public_key")).content == key_line + expected
