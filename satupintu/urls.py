from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from satupintu.api.views import healthz
from satupintu.justice import views as justice_views

from . import views

admin.site.site_header = _("Satu Pintu — administrasi")
admin.site.site_title = "Satu Pintu"
handler500 = views.server_error

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon),
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("bahasa/", set_language, name="set_language"),
    path("akun/", include("satupintu.accounts.urls")),
    path("rumah-tangga/", include("satupintu.registry.urls")),
    path("dokumen/", include("satupintu.documents.urls")),
    path("v/", include("satupintu.documents.public_urls")),
    path("pengaduan/", include("satupintu.complaints.urls")),
    path("survei/", include("satupintu.survey.urls")),
    path("laporan/", include("satupintu.justice.urls")),
    path("transparansi/", justice_views.public_page, name="transparency"),
    path("", include("satupintu.cases.urls")),
    path("impor/sasaran/", include("satupintu.targeting.urls")),
    path("impor/", include("satupintu.imports.urls")),
    path("tugas/", include("satupintu.ops.urls")),
    path("anggaran/putaran/", include("satupintu.allocation.urls")),
    path("anggaran/", include("satupintu.budgets.urls")),
    path("raskin/", include("satupintu.raskin.urls")),
    path("segera/", include("satupintu.emergency.urls")),
    path("api/v1/", include("satupintu.cases.api_urls")),
    path("api/v1/", include("satupintu.budgets.api_urls")),
    path("api/v1/", include("satupintu.allocation.api_urls")),
    path("api/v1/", include("satupintu.api.urls")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
