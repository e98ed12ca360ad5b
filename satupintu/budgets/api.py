"""API of the budget programmes and the ledger, under /api/v1/ beside the others.

Programmes with their ceilings and realisation: for budget readers (an auditor included: figures,
no household). Ledger rows name households: for those who also read the registry, scoped by area as
in the UI (an operator of a desa sees its desa's rows; outside the area: 404). Creating a row and
reversing one require the `Idempotency-Key` header: the same key again returns the first row (200).
"""

import hashlib

from django.core.exceptions import PermissionDenied as Denied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from satupintu.accounts.permissions import BUDGET_READ, LEDGER_RECORD, RASKIN_DISTRIBUTE, REGISTRY_READ, has, has_any
from satupintu.api import idempotency
from satupintu.api.pagination import PageNumberPagination
from satupintu.api.schema import error
from satupintu.api.serializers import TextField
from satupintu.audit import log
from satupintu.cases.models import Application
from satupintu.registry.selectors import households_for

from . import actions, selectors
from .models import EntryKind, FundingSource, LedgerEntry, Method, Programme

REFUSED = error(
    "Refused: over the ceiling or the stock, already reversed, or not of this programme; `detail` says why."
)
YEAR = OpenApiParameter(
    "year", {"type": "integer", "minimum": 2000, "maximum": 2100}, description="Fiscal year; default: every year"
)
PROGRAMME = OpenApiParameter("programme", {"type": "integer", "minimum": 1}, description="Only this programme's rows")
MONEY = {"max_digits": 16, "decimal_places": 2, "coerce_to_string": True}
UNITS = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": True}


class BudgetReaders(IsAuthenticated):
    def has_permission(self, request, view):
        return super().has_permission(request, view) and has(request.user, BUDGET_READ)


class LedgerReaders(IsAuthenticated):
    """Ledger rows name households: the registry's readers among budget readers, ledger officers and
    the distribution points (scoped by area)."""

    def has_permission(self, request, view):
        user = request.user
        return (
            super().has_permission(request, view)
            and has(user, REGISTRY_READ)
            and has_any(user, (BUDGET_READ, LEDGER_RECORD, RASKIN_DISTRIBUTE))
        )


class SourceFiguresSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="source.pk")
    kind = serializers.CharField(source="source.kind")
    name = serializers.CharField(source="source.name")
    ceiling_amount = serializers.DecimalField(allow_null=True, **MONEY)
    ceiling_units = serializers.DecimalField(allow_null=True, **UNITS)
    committed_amount = serializers.DecimalField(**MONEY)
    committed_units = serializers.DecimalField(**UNITS)
    realised_amount = serializers.DecimalField(**MONEY)
    realised_units = serializers.DecimalField(**UNITS)
    remaining_amount = serializers.DecimalField(allow_null=True, **MONEY)
    remaining_units = serializers.DecimalField(allow_null=True, **UNITS)


class ProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="programme.pk")
    service = serializers.CharField(source="programme.service.code")
    fiscal_year = serializers.IntegerField(source="programme.fiscal_year")
    unit = serializers.CharField(source="programme.unit")
    name = serializers.CharField(source="programme.name")
    sources = SourceFiguresSerializer(many=True)


def _query_int(request, name: str, **bounds) -> int | None:
    """A whole-number query parameter, None when absent; a 400 naming it otherwise."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        return serializers.IntegerField(**bounds).run_validation(raw)
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({name: exc.detail}) from None


def _overview(year=None) -> list[dict]:
    years = [year] if year else selectors.years()
    return [item for y in years for item in selectors.year_overview(y)]


class ProgrammeListView(APIView):
    """Programmes with each funding source's ceiling, commitments, realisation (the ledger) and what
    remains."""

    permission_classes = [BudgetReaders]

    @extend_schema(parameters=[YEAR], responses=ProgrammeSerializer(many=True), operation_id="budgets_list")
    def get(self, request):
        year = _query_int(request, "year", min_value=2000, max_value=2100)
        return Response(ProgrammeSerializer(_overview(year), many=True).data)


class ProgrammeDetailView(APIView):
    permission_classes = [BudgetReaders]

    @extend_schema(responses=ProgrammeSerializer, operation_id="budgets_retrieve")
    def get(self, request, pk):
        programme = get_object_or_404(Programme.objects.select_related("service"), pk=pk)
        sources = selectors.source_figures(selectors.sources_of(programme))
        return Response(ProgrammeSerializer({"programme": programme, "sources": sources}).data)


class EntrySerializer(serializers.ModelSerializer):
    application = serializers.CharField(source="application.number", allow_null=True, default=None)
    household = serializers.CharField(source="household.reference", allow_null=True, default=None)
    amount = serializers.DecimalField(allow_null=True, **{**MONEY, "max_digits": 17})
    units = serializers.DecimalField(allow_null=True, **{**UNITS, "max_digits": 15})
    has_proof = serializers.SerializerMethodField()

    class Meta:
        model = LedgerEntry
        fields = [
            "id", "programme", "source", "kind", "flow", "household", "desa", "kecamatan", "application",
            "amount", "units", "on", "method", "recipient_name", "proof_note", "has_proof", "officer",
            "reverses", "note", "created_at",
        ]  # fmt: skip

    def get_has_proof(self, obj) -> bool:
        return bool(obj.proof)


class EntryCreateSerializer(serializers.Serializer):
    source = serializers.PrimaryKeyRelatedField(queryset=FundingSource.objects.select_related("programme__service"))
    kind = serializers.ChoiceField(
        choices=[EntryKind.PAYMENT, EntryKind.HANDOVER, EntryKind.STOCK_RECEIPT, EntryKind.STOCK_ISSUE]
    )
    household = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    application = TextField(required=False, allow_blank=True, default="", max_length=20)
    on = serializers.DateField()
    amount = serializers.DecimalField(required=False, allow_null=True, default=None, min_value=0, **MONEY)
    units = serializers.DecimalField(required=False, allow_null=True, default=None, min_value=0, **UNITS)
    method = serializers.ChoiceField(choices=[("", "")] + Method.choices, required=False, default="")
    recipient_name = TextField(required=False, allow_blank=True, default="", max_length=150)
    proof_note = TextField(required=False, allow_blank=True, default="", max_length=250)
    note = TextField(required=False, allow_blank=True, default="", max_length=2000)


class ReverseSerializer(serializers.Serializer):
    reason = TextField(max_length=1000)


def _key(request) -> str:
    """The row's one-time key: the caller's Idempotency-Key, per user (64 hex characters)."""
    key = idempotency.required_key(request)
    return hashlib.sha256(f"{request.user.pk}:{key}".encode()).hexdigest()


def _recorders_only(user) -> None:
    """Rows are written here by the ledger officers only; a distribution point records its handovers
    on the service's own page, which checks the recipients and the month."""
    if not has(user, LEDGER_RECORD):
        raise PermissionDenied(_("Peran Anda tidak dapat mencatat entri buku kas melalui API ini."))


def _answer(request, write, key: str):
    """201 with the new row, 200 with the row an earlier request with this key wrote, 409 refused."""
    earlier = LedgerEntry.objects.filter(submission_key=key).first()
    if earlier is not None:
        return Response(EntrySerializer(earlier).data, status=status.HTTP_200_OK)
    try:
        entry = write()
    except actions.BudgetRefused as refused:
        return Response({"detail": str(refused)}, status=status.HTTP_409_CONFLICT)
    except Denied as denied:
        raise PermissionDenied(_("Peran atau wilayah Anda tidak dapat mencatat entri ini.")) from denied
    return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class LedgerListView(APIView):
    """Ledger rows of the caller's area, newest first; create one (payment, handover, stock)."""

    permission_classes = [LedgerReaders]
    pagination_class = PageNumberPagination

    @extend_schema(parameters=[PROGRAMME], responses=EntrySerializer(many=True), operation_id="ledger_list")
    def get(self, request):
        rows = selectors.ledger_for(request.user).select_related("application").order_by("-on", "-id")
        programme = _query_int(request, "programme", min_value=1)
        if programme is not None:
            rows = rows.filter(programme_id=programme)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(EntrySerializer(page, many=True).data)

    @extend_schema(
        request=EntryCreateSerializer,
        responses={201: EntrySerializer, 200: EntrySerializer, 409: REFUSED},
        parameters=[idempotency.HEADER],
        operation_id="ledger_create",
    )
    def post(self, request):
        _recorders_only(request.user)
        key = _key(request)
        payload = EntryCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        source = data.pop("source")
        household, application = _household_and_application(request.user, source.programme, data)
        data.pop("household"), data.pop("application")

        def write():
            return actions.record_entry(
                actor=request.user,
                programme=source.programme,
                source=source,
                household=household,
                application=application,
                submission_key=key,
                **data,
            )

        return _answer(request, write, key)


def _household_and_application(user, programme, data):
    """The household (by id, within the caller's area) and the application (by number, of this
    programme's service and of that household); a 400 naming the field otherwise."""
    household = None
    if data["household"] is not None:
        household = households_for(user).select_related("desa").filter(pk=data["household"]).first()
        if household is None:
            raise serializers.ValidationError({"household": [_("Rumah tangga tidak ditemukan di wilayah Anda.")]})
    application = None
    if data["application"]:
        application = Application.objects.filter(
            Q(household=household) if household else Q(household__in=households_for(user)),
            number=data["application"].strip().upper(),
            service_id=programme.service_id,
        ).first()
        if application is None:
            raise serializers.ValidationError({"application": [_("Permohonan layanan ini tidak ditemukan.")]})
        if household is None:
            household = households_for(user).select_related("desa").get(pk=application.household_id)
    return household, application


class LedgerDetailView(APIView):
    permission_classes = [LedgerReaders]

    @extend_schema(responses=EntrySerializer, operation_id="ledger_retrieve")
    def get(self, request, pk):
        entry = selectors.entry_for(request.user, pk)
        log.record(actor=request.user, action=log.Action.VIEW, instance=entry, household_id=entry.household_id)
        return Response(EntrySerializer(entry).data)


class LedgerReverseView(APIView):
    """Reverse a row: a new row with the negated amount and units and the reason."""

    permission_classes = [LedgerReaders]

    @extend_schema(
        request=ReverseSerializer,
        responses={201: EntrySerializer, 200: EntrySerializer, 409: REFUSED},
        parameters=[idempotency.HEADER],
        operation_id="ledger_reverse",
    )
    def post(self, request, pk):
        _recorders_only(request.user)
        key = _key(request)
        entry = selectors.entry_for(request.user, pk)
        payload = ReverseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)

        def write():
            return actions.reverse_entry(
                actor=request.user, entry=entry, reason=payload.validated_data["reason"], submission_key=key
            )

        return _answer(request, write, key)
