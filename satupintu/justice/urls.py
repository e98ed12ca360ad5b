from django.urls import path

from . import views

app_name = "justice"
urlpatterns = [
    path("keadilan/", views.equity_report, name="equity"),
    path("keadilan/kasus/", views.case_list, name="cases"),
    path("skm/", views.skm_results, name="skm"),
    path("bulanan/", views.monthly_report, name="monthly"),
]
