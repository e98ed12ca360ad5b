from django.urls import path

from . import views

app_name = "targeting"
urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("jalankan/", views.run_start, name="run_start"),
    path("<int:pk>/", views.run_detail, name="run_detail"),
]
