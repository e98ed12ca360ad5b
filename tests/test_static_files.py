"""The production static pipeline (collectstatic + whitenoise manifest) serves the app's own assets."""

from django.core.management import call_command
from django.test import override_settings

MANIFEST = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_pages_render_with_the_collected_manifest(client, db, tmp_path):
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=MANIFEST):
        call_command("collectstatic", interactive=False, verbosity=0)
        response = client.get("/masuk/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/satupintu/css/app." in body and ".css" in body
    assert list(tmp_path.glob("satupintu/css/app.*.css"))
    assert "http" not in body.split("<link", 1)[1].split(">", 1)[0]
