"""The rounds' API, under /api/v1/ beside the others."""

from django.urls import path

from . import api

urlpatterns = [
    path("rounds/", api.RoundListView.as_view(), name="rounds"),
    path("rounds/<int:pk>/", api.RoundDetailView.as_view(), name="round-detail"),
    path("rounds/<int:pk>/entries/", api.RoundEntriesView.as_view(), name="round-entries"),
    path("rounds/<int:pk>/approve/", api.RoundApproveView.as_view(), name="round-approve"),
]
