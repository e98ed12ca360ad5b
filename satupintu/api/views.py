from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from satupintu import health
from satupintu.audit import log
from satupintu.registry import actions, selectors

from .idempotency import IdempotentCreate
from .permissions import RegistryAccess
from .serializers import (
    HouseholdDetailSerializer,
    HouseholdSerializer,
    PersonCreateSerializer,
    PersonListSerializer,
    PersonSerializer,
    SearchSerializer,
)


@contextmanager
def refusals_as_400():
    """An action's ValidationError (a KK number taken after the serializer checked it) answers 400
    with the field's message, as the serializer's own check does."""
    try:
        yield
    except ValidationError as refusal:
        raise serializers.ValidationError(refusal.message_dict) from None


class HouseholdViewSet(
    IdempotentCreate,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Households in the caller's area. Outside it: 404."""

    permission_classes = [RegistryAccess]
    # An id is ASCII digits, as documented: "+1", " 1" or "١" would reach int() and find row 1.
    lookup_value_regex = "[0-9]+"
    read_actions = {"search"}

    def get_queryset(self):
        qs = selectors.households_for(self.request.user).select_related("desa", "head")
        if self.action == "retrieve":
            qs = qs.prefetch_related("members")
        return qs.order_by("id")

    def get_serializer_class(self):
        return HouseholdDetailSerializer if self.action == "retrieve" else HouseholdSerializer

    def perform_create(self, serializer):
        with refusals_as_400():
            serializer.instance = actions.household_create(actor=self.request.user, data=serializer.validated_data)

    def perform_update(self, serializer):
        with refusals_as_400():
            serializer.instance = actions.household_update(
                actor=self.request.user, household=serializer.instance, data=serializer.validated_data
            )

    def retrieve(self, request, *args, **kwargs):
        household = self.get_object()
        log.record(actor=request.user, action=log.Action.VIEW, instance=household, household_id=household.pk)
        return Response(self.get_serializer(household).data)

    @extend_schema(request=SearchSerializer, responses=HouseholdSerializer(many=True))
    @action(detail=False, methods=["post"])
    def search(self, request):
        """Search by NIK, KK number or name; the terms are in the body so no NIK lands in a URL."""
        terms = SearchSerializer(data=request.data)
        terms.is_valid(raise_exception=True)
        qs = selectors.household_search(request.user, terms.validated_data["q"])
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(HouseholdSerializer(page, many=True, context={"request": request}).data)


class PersonViewSet(
    IdempotentCreate,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """People in the caller's area. Lists show a masked NIK; the detail shows the NIK."""

    permission_classes = [RegistryAccess]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.people_for(self.request.user).order_by("id")

    def get_serializer_class(self):
        if self.action == "list":
            return PersonListSerializer
        if self.action == "create":
            return PersonCreateSerializer
        return PersonSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        household = data.pop("household")
        serializer.instance = actions.person_add(actor=self.request.user, household=household, data=data)

    def perform_update(self, serializer):
        serializer.instance = actions.person_update(
            actor=self.request.user, person=serializer.instance, data=serializer.validated_data
        )

    def retrieve(self, request, *args, **kwargs):
        person = self.get_object()
        log.record(actor=request.user, action=log.Action.VIEW, instance=person, household_id=person.household_id)
        return Response(self.get_serializer(person).data)


@csrf_exempt  # as the API's own views: a PUT to a wrong address is a 404, not the CSRF page's 403
def not_found(request):
    """Any other address under /api/v1/: a JSON 404 like the API's own, not the site's HTML page."""
    return JsonResponse({"detail": _("Tidak ditemukan.")}, status=404)


def healthz(request):
    """200 with the database's state, 503 when the database does not answer (the check of the
    health listener, satupintu/health.py, which answers while the request threads are busy)."""
    status, body = health.database_state()
    return JsonResponse(body, status=status)
