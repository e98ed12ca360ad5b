"""API of the catalogue and of applications; scoping is the UI's (`selectors.applications_for`)."""

import datetime as dt
import re

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from satupintu.accounts.models import Agency, User
from satupintu.accounts.permissions import CASE_INTAKE, CASE_VERIFY, CASE_WORK, has, holders_q
from satupintu.api import idempotency
from satupintu.api.pagination import PageNumberPagination
from satupintu.api.schema import error
from satupintu.api.serializers import SlugField, TextField
from satupintu.audit import log
from satupintu.catalogue import versions
from satupintu.catalogue.calendar import working_calendar
from satupintu.catalogue.models import ServiceType
from satupintu.registry.models import Person
from satupintu.registry.selectors import people_for

from . import actions, selectors, tracking, workflow
from .deadlines import due_date_for
from .models import Application

# Path parameters as the document states them; a value of another shape is simply not found (404).
NUMBER = OpenApiParameter(
    "number", str, OpenApiParameter.PATH, pattern=r"^UPK[0-9]{4}-[0-9]{6}$", description="Nomor tanda terima"
)
SERVICE_CODE = OpenApiParameter("code", str, OpenApiParameter.PATH, pattern=r"^[-a-zA-Z0-9_]+$")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PIN = r"^[0-9]{6}$"  # another PIN is simply a wrong one (404)
REFUSED = error("The transition table refuses it; `detail` says why.")


class ServiceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    domain = serializers.CharField()
    sla_kind = serializers.CharField(allow_null=True)
    sla_days = serializers.IntegerField(allow_null=True)
    sla_minutes = serializers.IntegerField(allow_null=True)
    legal_source = serializers.CharField(allow_null=True)
    requirements = serializers.ListField(child=serializers.CharField())
    agency = serializers.CharField(allow_null=True)


def service_data(service: ServiceType, today: dt.date) -> dict:
    standard = service.standard_on(today)
    return {
        "code": service.code,
        "name": service.name,
        "domain": service.domain,
        "sla_kind": standard.kind if standard else None,
        "sla_days": standard.days if standard and standard.kind == "working_days" else None,
        "sla_minutes": standard.minutes if standard else None,
        "legal_source": standard.legal_source if standard else None,
        "requirements": [r.name for r in service.requirements.all()],
        "agency": service.agency.code if service.agency else None,
    }


def services_qs():
    return (
        ServiceType.objects.filter(is_active=True)
        .select_related("agency")
        .prefetch_related("requirements", "standards")
    )


class ServiceListView(APIView):
    """The service catalogue (public): standards in force today."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=ServiceSerializer(many=True), operation_id="services_list")
    def get(self, request):
        today = timezone.localdate()
        return Response(
            versions.cached("services-api", lambda: [service_data(s, today) for s in services_qs()], today.isoformat())
        )


class ServiceEstimateView(APIView):
    """The due date if an application were received on `received` (public)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        parameters=[
            SERVICE_CODE,
            OpenApiParameter("received", OpenApiTypes.DATE, description="YYYY-MM-DD; default today"),
        ],
        responses=inline_serializer(
            "Estimate",
            {
                "code": serializers.CharField(),
                "received": serializers.DateField(),
                "sla_kind": serializers.CharField(allow_null=True),
                "sla_days": serializers.IntegerField(allow_null=True),
                "due_date": serializers.DateField(allow_null=True),
            },
        ),
        operation_id="services_estimate",
    )
    def get(self, request, code):
        service = get_object_or_404(services_qs(), code=code)
        raw = request.query_params.get("received")
        try:
            # fromisoformat alone also takes 20270525 and 2027-W21-2, which the schema's `date` does not.
            received = timezone.localdate() if raw is None else dt.date.fromisoformat(ISO_DATE.fullmatch(raw)[0])
        except (TypeError, ValueError) as exc:
            raise ValidationError({"received": _("Format tanggal YYYY-MM-DD.")}) from exc
        standard = service.standard_on(received)
        return Response(
            {
                "code": service.code,
                "received": received,
                "sla_kind": standard.kind if standard else None,
                "sla_days": standard.days if standard and standard.kind == "working_days" else None,
                "due_date": due_date_for(standard, received, working_calendar()),
            }
        )


class CaseAccess(IsAuthenticated):
    def has_permission(self, request, view):
        return super().has_permission(request, view) and has(request.user, CASE_WORK)


class ApplicationSerializer(serializers.ModelSerializer):
    service = serializers.CharField(source="service.code")
    applicant_name = serializers.CharField(source="applicant.name")
    desa = serializers.CharField(source="desa_id")
    working_days_left = serializers.SerializerMethodField()
    transitions = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "number", "service", "status", "channel", "applicant", "applicant_name", "household", "desa",
            "received_at", "due_date", "deadline_state", "paused_since", "working_days_left", "fast_path",
            "rules_result", "decision", "decision_reason", "override_reason", "transitions",
        ]  # fmt: skip

    def get_working_days_left(self, obj) -> int | None:
        return obj.working_days_left(self.context.get("calendar"))

    def get_transitions(self, obj) -> list[str]:
        user = self.context["request"].user
        return [t.name for t in workflow.available(obj, user)]


def active_services() -> dict[str, ServiceType]:
    """The active services by code, with their requirements and standards: read once per catalogue
    version (catalogue/versions.py), so that an intake reads none of them."""
    return versions.cached(
        "intake-services",
        lambda: {
            service.code: service
            for service in ServiceType.objects.filter(is_active=True).prefetch_related("requirements", "standards")
        },
    )


class ActiveServiceField(serializers.SlugRelatedField):
    """An active service by its code, found among the kept active services (no query per request)."""

    def to_internal_value(self, data):
        service = active_services().get(data) if isinstance(data, str) else None
        if service is None:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return service


class ApplicationCreateSerializer(serializers.Serializer):
    service = ActiveServiceField(slug_field="code", queryset=ServiceType.objects.filter(is_active=True))
    applicant = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    documents = serializers.ListField(child=SlugField(), required=False, default=list)
    details = serializers.DictField(required=False, default=dict)
    # A sentence or two, as the intake form allows (250 characters).
    duplicate_reason = TextField(required=False, allow_blank=True, default="", max_length=250)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["applicant"].queryset = people_for(request.user).filter(household__isnull=False)


class CreatedSerializer(ApplicationSerializer):
    pin = serializers.CharField(allow_null=True)

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "pin"]


class ApplicationCreateView(APIView):
    """Register an application. The `Idempotency-Key` header is required: a retried POST with the same
    key returns the first application (200, no PIN)."""

    permission_classes = [CaseAccess]

    @extend_schema(
        request=ApplicationCreateSerializer,
        responses={201: CreatedSerializer, 200: CreatedSerializer, 409: REFUSED},
        parameters=[idempotency.HEADER],
        operation_id="applications_create",
    )
    def post(self, request):
        if not has(request.user, CASE_INTAKE):
            raise PermissionDenied(_("Peran Anda tidak dapat menerima permohonan."))
        key = idempotency.required_key(request)
        payload = ApplicationCreateSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        service = data["service"]  # its requirements and standards already read (active_services)
        codes = set(data["documents"])
        present = [r.pk for r in service.requirements.all() if r.code in codes]
        try:
            application, pin = actions.application_create(
                actor=request.user,
                service=service,
                applicant=data["applicant"],
                present_ids=present,
                details=data["details"],
                idempotency_key=key,
                duplicate_reason=data["duplicate_reason"],
            )
        except actions.TransitionRefused as refused:
            return Response({"detail": str(refused)}, status=status.HTTP_409_CONFLICT)
        body = ApplicationSerializer(application, context={"request": request}).data
        return Response({**body, "pin": pin}, status=status.HTTP_201_CREATED if pin else status.HTTP_200_OK)


class ApplicationDetailView(APIView):
    permission_classes = [CaseAccess]

    @extend_schema(parameters=[NUMBER], responses=ApplicationSerializer, operation_id="applications_retrieve")
    def get(self, request, number):
        application = selectors.application_for_user(request.user, number)
        log.record(
            actor=request.user, action=log.Action.VIEW, instance=application, household_id=application.household_id
        )
        return Response(ApplicationSerializer(application, context={"request": request}).data)


class TransitionSerializer(serializers.Serializer):
    transition = serializers.ChoiceField(choices=sorted(workflow.TRANSITIONS))
    reason = TextField(required=False, allow_blank=True, default="")
    override_reason = TextField(required=False, allow_blank=True, default="")
    queue_reason = TextField(required=False, allow_blank=True, default="")
    verifier = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(holders_q(CASE_VERIFY), is_active=True), required=False
    )
    agency = serializers.SlugRelatedField(slug_field="code", queryset=Agency.objects.all(), required=False)
    documents = serializers.ListField(child=SlugField(), required=False)
    recommendation = TextField(required=False)
    findings = TextField(required=False)
    visit_date = serializers.DateField(required=False)
    bps14_answers = serializers.DictField(child=serializers.BooleanField(), required=False)
    outcome = TextField(required=False)
    note = TextField(required=False)


class ApplicationTransitionView(APIView):
    """Apply a transition of the table; a refusal is 409 with the Indonesian reason."""

    permission_classes = [CaseAccess]

    @extend_schema(
        parameters=[NUMBER],
        request=TransitionSerializer,
        responses={200: ApplicationSerializer, 409: REFUSED},
        operation_id="applications_transition",
    )
    def post(self, request, number):
        application = selectors.application_for_user(request.user, number)
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        name, queue_reason = data.pop("transition"), data.pop("queue_reason")
        if "documents" in data:
            codes = set(data.pop("documents"))
            data["present"] = {
                c.pk for c in application.documents.select_related("requirement") if c.requirement.code in codes
            }
        try:
            application = actions.application_transition(
                actor=request.user, application=application, name=name, data=data, queue_reason=queue_reason
            )
        except actions.TransitionRefused as refused:
            return Response({"detail": str(refused)}, status=status.HTTP_409_CONFLICT)
        return Response(ApplicationSerializer(application, context={"request": request}).data)


class QueueListView(APIView):
    """The caller's work queues with the number of cases in each."""

    permission_classes = [CaseAccess]

    @extend_schema(
        responses=inline_serializer(
            "QueueSummary",
            {"name": serializers.CharField(), "label": serializers.CharField(), "count": serializers.IntegerField()},
            many=True,
        ),
        operation_id="queues_list",
    )
    def get(self, request):
        counts = selectors.queue_counts(request.user)
        return Response(
            [
                {"name": q.name, "label": str(q.label), "count": counts[q.name]}
                for q in workflow.queues_for(request.user)
            ]
        )


class QueueItemsView(APIView):
    """One work queue, first come first served."""

    permission_classes = [CaseAccess]
    pagination_class = PageNumberPagination

    @extend_schema(
        parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH, enum=sorted(workflow.QUEUES))],
        responses=ApplicationSerializer(many=True),
        operation_id="queues_items",
    )
    def get(self, request, name):
        queue = workflow.QUEUES.get(name)
        if queue is None or queue not in workflow.queues_for(request.user):
            raise NotFound
        items = selectors.queue_items(request.user, queue).select_related("service", "applicant")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(items, request, view=self)
        context = {"request": request, "calendar": working_calendar()}
        return paginator.get_paginated_response(ApplicationSerializer(page, many=True, context=context).data)


class TrackView(APIView):
    """Public tracking: the PIN in the `X-PIN` header only — a PIN in the address would be written
    to every access log on its way — so a `pin` query is refused. Unknown number and wrong PIN give
    the same 404; the attempts share the budgets of the tracking page (accounts/pins.py)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        parameters=[
            NUMBER,
            OpenApiParameter("X-PIN", str, OpenApiParameter.HEADER, required=True, pattern=PIN),
        ],
        responses={
            200: inline_serializer(
                "Tracking",
                {
                    "number": serializers.CharField(),
                    "service": serializers.CharField(),
                    "first_name": serializers.CharField(),
                    "status": serializers.CharField(),
                    "status_label": serializers.CharField(),
                    "received_at": serializers.DateTimeField(),
                    "due_date": serializers.DateField(allow_null=True),
                    "history": serializers.ListField(child=serializers.DictField()),
                },
            ),
            400: error("A `pin` in the query string: the PIN travels in the X-PIN header only."),
            404: error("Unknown number or wrong PIN: the same answer for both."),
            429: error("Too many attempts from this address or on this number; try again later."),
        },
        operation_id="track_retrieve",
    )
    def get(self, request, number):
        if "pin" in request.query_params:
            return Response(
                {"detail": _("PIN tidak boleh dikirim di alamat (query string); kirim di header X-PIN.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if tracking.rate_limited(request, number):
            return Response({"detail": _("Terlalu banyak percobaan.")}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        application = tracking.find(number, request.headers.get("X-PIN", ""))
        if application is None:
            return Response({"detail": _("Nomor tanda terima atau PIN tidak cocok.")}, status=status.HTTP_404_NOT_FOUND)
        return Response(tracking.public_view(application))
