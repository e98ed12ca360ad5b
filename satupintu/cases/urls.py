from django.urls import path

from . import officers, public, views

app_name = "cases"
urlpatterns = [
    path("permohonan/", views.queue, name="queue"),
    path("permohonan/baru/", views.intake_find, name="intake_find"),
    path("permohonan/baru/<int:household_pk>/", views.intake, name="intake"),
    path("permohonan/antrean-didahulukan/", views.queue_exceptions, name="queue_exceptions"),
    path("permohonan/penunjukan/", officers.appointments, name="appointments"),
    path("permohonan/penunjukan/<int:pk>/cabut/", officers.appointment_revoke, name="appointment_revoke"),
    path("permohonan/<str:number>/", views.detail, name="detail"),
    path("permohonan/<str:number>/tanda-terima/", views.receipt, name="receipt"),
    path("permohonan/<str:number>/langkah/<slug:name>/", views.act, name="act"),
    path("permohonan/<str:number>/konflik/", officers.recusal_declare, name="recusal_declare"),
    path("permohonan/<str:number>/konflik/<int:pk>/telaah/", officers.recusal_review, name="recusal_review"),
    path("permohonan/<str:number>/konflik/<int:pk>/kecualikan/", officers.recusal_override, name="recusal_override"),
    path("rujukan/", views.referrals, name="referrals"),
    path("layanan/", public.maklumat, name="maklumat"),
    path("lacak/", public.track, name="track"),
]
