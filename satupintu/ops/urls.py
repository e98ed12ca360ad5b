from django.urls import path

from . import views

app_name = "ops"
urlpatterns = [
    path("<int:pk>/", views.job_detail, name="job"),
    path("<int:pk>/unduh/", views.job_download, name="job_download"),
]
