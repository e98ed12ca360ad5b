from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("unggah/", views.batch_upload, name="batch_upload"),
    path("templat.xlsx", views.template_download, name="template"),
    path("<int:pk>/", views.batch_detail, name="batch_detail"),
    path("<int:pk>/status.json", views.batch_status, name="batch_status"),
    path("<int:pk>/kesalahan.csv", views.batch_errors, name="batch_errors"),
    path("<int:pk>/putuskan/", views.batch_decide, name="batch_decide"),
    path("duplikat/", views.pair_list, name="pair_list"),
    path("duplikat/<int:pk>/putuskan/", views.pair_decide, name="pair_decide"),
]
