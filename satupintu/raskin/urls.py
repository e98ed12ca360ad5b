from django.urls import path

from . import views

app_name = "raskin"
urlpatterns = [
    path("", views.month_list, name="month_list"),
    path("<int:pk>/", views.month_detail, name="month_detail"),
    path("<int:pk>/desa/<str:code>/", views.desa_detail, name="desa_detail"),
    path("<int:pk>/desa/<str:code>/daftar.pdf", views.desa_pdf, name="desa_pdf"),
    path("<int:pk>/desa/<str:code>/daftar.xlsx", views.desa_xlsx, name="desa_xlsx"),
    path("<int:pk>/rumah-tangga/<int:household>/serahkan/", views.handover, name="handover"),
    path("penyerahan/<int:pk>/batalkan/", views.correct, name="correct"),
]
