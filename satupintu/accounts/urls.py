from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("dua-langkah/daftar/", views.enrol, name="enrol"),
    path("dua-langkah/daftar/qr.svg", views.qr, name="qr"),
    path("dua-langkah/kode-pemulihan/", views.recovery_codes, name="recovery_codes"),
    path("dua-langkah/", views.verify, name="verify"),
    path("kata-sandi/", views.password_change, name="password_change"),
]
