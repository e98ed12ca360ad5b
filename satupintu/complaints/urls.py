from django.urls import path

from . import views

app_name = "complaints"
urlpatterns = [
    path("", views.public_new, name="public_new"),
    path("terkirim/", views.public_receipt, name="public_receipt"),
    path("lacak/", views.track, name="track"),
    path("kelola/", views.complaint_list, name="list"),
    path("kelola/baru/", views.desk_new, name="desk_new"),
    path("kelola/<str:number>/", views.complaint_detail, name="detail"),
    path("kelola/<str:number>/<str:name>/", views.complaint_step, name="step"),
]
