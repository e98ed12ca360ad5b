from django.urls import path

from . import views

app_name = "allocation"
urlpatterns = [
    path("", views.round_list, name="list"),
    path("buka/", views.round_open, name="open"),
    path("<int:pk>/", views.round_detail, name="detail"),
    path("<int:pk>/cetak/", views.round_print, name="print"),
    path("<int:pk>/peserta/<int:entry_pk>/pindah/", views.entry_move, name="move"),
    path("<int:pk>/setujui/", views.round_approve, name="approve"),
    path("<int:pk>/batal/", views.round_cancel, name="cancel"),
]
