from django.urls import path

from . import views

app_name = "budgets"
urlpatterns = [
    path("", views.index, name="index"),
    path("program/baru/", views.programme_new, name="programme_new"),
    path("program/<int:pk>/", views.programme_detail, name="programme"),
    path("program/<int:pk>/sumber/baru/", views.source_new, name="source_new"),
    path("program/<int:pk>/entri/baru/", views.entry_new, name="entry_new"),
    path("sumber/<int:pk>/pagu/", views.revision_new, name="revision_new"),
    path("entri/<int:pk>/", views.entry_detail, name="entry"),
    path("entri/<int:pk>/bukti/", views.entry_proof, name="entry_proof"),
    path("entri/<int:pk>/balik/", views.entry_reverse, name="entry_reverse"),
    path("laporan/", views.realisation, name="report"),
    path("laporan/realisasi.xlsx", views.realisation_xlsx, name="report_xlsx"),
    path("laporan/realisasi.pdf", views.realisation_pdf, name="report_pdf"),
    path("dprd/", views.dprd, name="dprd"),
]
