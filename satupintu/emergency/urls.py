from django.urls import path

from . import views

app_name = "emergency"
urlpatterns = [
    path("ambulans/", views.board, name="board"),
    path("ambulans/baru/", views.call_new, name="call_new"),
    path("ambulans/armada/", views.roster, name="roster"),
    path("ambulans/verifikasi/", views.verifications, name="verifications"),
    path("ambulans/<str:number>/", views.call_detail, name="call"),
    path("ambulans/<str:number>/verifikasi/", views.verification_resolve, name="verification_resolve"),
    path("ambulans/<str:number>/<str:name>/", views.call_step, name="step"),
    path("klinik/", views.visits, name="visits"),
    path("klinik/baru/", views.visit_new, name="visit_new"),
    path("rekap/", views.summary, name="summary"),
]
