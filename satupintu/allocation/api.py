"""API of allocation rounds under /api/v1/rounds/: the list, opening one (the `Idempotency-Key`
header is required: a retry returns the round it opened), one round, its ranked list with each
component explained (scoped to the caller's area like the pages) and approval."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from satupintu.accounts import permissions as perm
from satupintu.api import idempotency
from satupintu.api.pagination import PageNumberPagination
from satupintu.api.schema import error
from satupintu.api.serializers import TextField
from satupintu.budgets.models import FundingSource
from satupintu.lib.transitions import Refused

from . import actions, selectors

REFUSED = error("The round's table or the budget refuses it (e.g. over the ceiling); `detail` says why.")


class RoundAccess(IsAuthenticated):
    def has_permission(self, request, view):
        return super().has_permission(request, view) and perm.has_any(
            request.user, (perm.BUDGET_READ, perm.ROUND_OPEN, perm.ROUND_APPROVE)
        )


class RoundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    service = serializers.CharField(source="programme.service.code")
    programme = serializers.IntegerField(source="programme_id")
    fiscal_year = serializers.IntegerField(source="programme.fiscal_year")
    source = serializers.IntegerField(source="source_id")
    state = serializers.CharField()
    rule = serializers.CharField(source="rule_ref")
    ranked_on = serializers.DateField()
    unit_amount = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    unit_units = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    remaining_amount = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    remaining_units = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    applicants = serializers.IntegerField()
    selected = serializers.IntegerField()
    opened_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reason = serializers.CharField()


class ComponentSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    weight = serializers.IntegerField()
    points = serializers.CharField()
    explanation = serializers.CharField()


class RoundEntrySerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    application = serializers.CharField(source="application.number")
    applicant_name = serializers.CharField(source="application.applicant.name")
    desa = serializers.CharField(source="application.desa_id")
    received_at = serializers.DateTimeField(source="application.received_at")
    points = serializers.DecimalField(max_digits=7, decimal_places=2)
    components = ComponentSerializer(many=True)
    in_line = serializers.BooleanField()
    proposed = serializers.BooleanField()
    decision = serializers.CharField()
    deviation_reason = serializers.CharField()


class OpenSerializer(serializers.Serializer):
    source = serializers.PrimaryKeyRelatedField(queryset=FundingSource.objects.select_related("programme__service"))


class ApproveSerializer(serializers.Serializer):
    reason = TextField(required=False, allow_blank=True, default="")


def _round(pk):
    return get_object_or_404(selectors.rounds(), pk=pk)


class RoundListView(APIView):
    """Rounds, the latest first; POST opens one (kasi, kepala)."""

    permission_classes = [RoundAccess]
    pagination_class = PageNumberPagination

    @extend_schema(responses=RoundSerializer(many=True), operation_id="rounds_list")
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.rounds(), request, view=self)
        return paginator.get_paginated_response(RoundSerializer(page, many=True).data)

    @extend_schema(
        request=OpenSerializer,
        responses={201: RoundSerializer, 200: RoundSerializer, 409: REFUSED},
        parameters=[idempotency.HEADER],
        operation_id="rounds_open",
    )
    def post(self, request):
        if not perm.has(request.user, perm.ROUND_OPEN):
            raise PermissionDenied(_("Peran Anda tidak dapat membuka putaran."))
        key = idempotency.required_key(request)
        payload = OpenSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        source = payload.validated_data["source"]
        existed = selectors.rounds().filter(opened_by=request.user, submission=key).exists()
        try:
            round_ = actions.open_round(actor=request.user, programme=source.programme, source=source, submission=key)
        except Refused as refused:
            return Response({"detail": str(refused)}, status=status.HTTP_409_CONFLICT)
        answer = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(RoundSerializer(_round(round_.pk)).data, status=answer)


class RoundDetailView(APIView):
    permission_classes = [RoundAccess]

    @extend_schema(responses=RoundSerializer, operation_id="rounds_retrieve")
    def get(self, request, pk):
        return Response(RoundSerializer(_round(pk)).data)


class RoundEntriesView(APIView):
    """The ranked list, best first, each component with its points and explanation."""

    permission_classes = [RoundAccess]
    pagination_class = PageNumberPagination

    @extend_schema(responses=RoundEntrySerializer(many=True), operation_id="rounds_entries")
    def get(self, request, pk):
        round_ = _round(pk)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.entries(round_, request.user), request, view=self)
        return paginator.get_paginated_response(RoundEntrySerializer(page, many=True).data)


class RoundApproveView(APIView):
    """Approve a proposed round (kepala): the budget is committed for every proposed applicant at
    once, or nothing is done (409 with the reason, e.g. over the ceiling)."""

    permission_classes = [RoundAccess]

    @extend_schema(
        request=ApproveSerializer,
        responses={200: RoundSerializer, 409: REFUSED},
        operation_id="rounds_approve",
    )
    def post(self, request, pk):
        if not perm.has(request.user, perm.ROUND_APPROVE):
            raise PermissionDenied(_("Peran Anda tidak dapat menyetujui putaran."))
        round_ = _round(pk)
        payload = ApproveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            actions.approve_round(actor=request.user, round_=round_, reason=payload.validated_data["reason"])
        except Refused as refused:
            return Response({"detail": str(refused)}, status=status.HTTP_409_CONFLICT)
        return Response(RoundSerializer(_round(pk)).data)
