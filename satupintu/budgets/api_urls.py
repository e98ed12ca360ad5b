"""The budgets' and the ledger's API, under /api/v1/ beside the others."""

from django.urls import path

from . import api

urlpatterns = [
    path("budgets", api.ProgrammeListView.as_view(), name="budgets"),
    path("budgets/<int:pk>", api.ProgrammeDetailView.as_view(), name="budget-detail"),
    path("ledger", api.LedgerListView.as_view(), name="ledger"),
    path("ledger/<int:pk>", api.LedgerDetailView.as_view(), name="ledger-detail"),
    path("ledger/<int:pk>/reverse", api.LedgerReverseView.as_view(), name="ledger-reverse"),
]
