"""Admin pages: programmes and sources are listed (created through the budget pages, which audit them);
ceiling revisions, commitments and ledger rows are read-only (append-only or written by actions)."""

from django.contrib import admin

from satupintu.lib.admin import ReadOnlyAdmin

from .models import CeilingRevision, Commitment, FundingSource, LedgerEntry, Programme


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["name", "service", "fiscal_year", "unit"]
    list_filter = ["fiscal_year", "unit"]
    list_select_related = ["service"]


@admin.register(FundingSource)
class FundingSourceAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["name", "kind", "programme"]
    list_filter = ["kind", "programme__fiscal_year"]
    list_select_related = ["programme"]


@admin.register(CeilingRevision)
class CeilingRevisionAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["source", "kecamatan", "valid_from", "amount", "units", "reason", "actor", "created_at"]
    list_filter = ["source__programme__fiscal_year"]
    list_select_related = ["source", "kecamatan", "actor"]


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["source", "application", "amount", "units", "kecamatan", "round_ref", "created_at", "released_at"]
    list_filter = ["programme__fiscal_year"]
    list_select_related = ["source", "application", "kecamatan"]
    raw_id_fields = ["application"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["id", "on", "kind", "programme", "source", "household", "amount", "units", "officer"]
    list_filter = ["kind", "programme__fiscal_year"]
    list_select_related = ["programme", "source", "household", "officer"]
    raw_id_fields = ["household", "application", "person", "reverses", "commitment"]
