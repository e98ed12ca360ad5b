from django.urls import path

from . import views

app_name = "survey"
urlpatterns = [
    path("", views.entry, name="entry"),
    path("<str:token>/", views.answer, name="answer"),
]
