"""Public verification: no login. The token is the only key; the page never shows a NIK."""

from django.urls import path

from . import views

app_name = "verify"
urlpatterns = [
    path("kunci-publik.pem", views.public_key, name="public_key"),
    path("<str:token>", views.verify, name="document"),
]
