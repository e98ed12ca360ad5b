from django.urls import path

from . import public, views

app_name = "cases"
urlpatterns = [
    path("permohonan/", views.queue, name="queue"),
    path("permohonan/baru/", views.intake_find, name="intake_find"),
    path("permohonan/baru/<int:household_pk>/", views.intake, name="intake"),
    path("permohonan/antrean-didahulukan/", views.queue_exceptions, name="queue_exceptions"),
    path("permohonan/<str:number>/", views.detail, name="detail"),
    path("permohonan/<str:number>/tanda-terima/", views.receipt, name="receipt"),
    path("permohonan/<str:number>/langkah/<slug:name>/", views.act, name="act"),
    path("rujukan/", views.referrals, name="referrals"),
    path("layanan/", public.maklumat, name="maklumat"),
    path("lacak/", public.track, name="track"),
]
