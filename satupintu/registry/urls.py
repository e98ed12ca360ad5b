from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.household_list, name="household_list"),
    path("baru/", views.household_create, name="household_create"),
    path("<int:pk>/", views.household_detail, name="household_detail"),
    path("<int:pk>/ubah/", views.household_edit, name="household_edit"),
    path("<int:pk>/anggota/baru/", views.person_add, name="person_add"),
    path("anggota/<int:pk>/ubah/", views.person_edit, name="person_edit"),
    path("anggota/<int:pk>/meninggal/", views.death_record, name="death_record"),
    path("anggota/<int:pk>/data-subjek/", views.person_subject_export, name="person_subject_export"),
]
