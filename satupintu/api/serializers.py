from django.db import models
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from satupintu.accounts.scoping import desa_for
from satupintu.lib.nik import KK_PATTERN, NIK_PATTERN, mask_nik
from satupintu.registry.fields import HOUSEHOLD_FIELDS, PERSON_FIELDS, api_fields, api_read_only
from satupintu.registry.models import Household, Person
from satupintu.registry.selectors import households_for
from satupintu.registry.validation import kk_errors, person_identity_errors


class StrictText:
    """Text must arrive as a JSON string, as the schema's `string` says: DRF's text fields also take
    a number and turn it into text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class TextField(StrictText, serializers.CharField):
    pass


class SlugField(StrictText, serializers.SlugField):
    pass


class ModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: TextField,
        models.TextField: TextField,
    }


# The structure is checked by parse_nik/parse_kk with a message naming the wrong part; the schema
# states the same structure, so a schema-valid number fails only against other fields or the registry.
@extend_schema_field({"type": "string", "pattern": f"^{NIK_PATTERN}$"})
class NIKField(TextField):
    """A NIK; empty or null for a person without one (stored as NULL)."""


@extend_schema_field({"type": "string", "pattern": f"^{KK_PATTERN}$"})
class KKNumberField(TextField):
    pass


class PersonListSerializer(ModelSerializer):
    nik_masked = serializers.CharField(source="masked_nik", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "nik_masked", "name", "sex", "birth_date", "household", "relationship"]


class PersonSerializer(ModelSerializer):
    """Full person record; the NIK is write-once-readable only on the detail endpoint."""

    nik = NIKField(max_length=16, required=False, allow_blank=True, allow_null=True)

    class Meta:
        model = Person
        fields = ["id", *api_fields(PERSON_FIELDS)]
        read_only_fields = api_read_only(PERSON_FIELDS)

    def validate_nik(self, value):
        # No NIK is NULL, as the web form stores it: NULLs never collide in the unique index.
        return value or None

    def validate(self, attrs):
        instance = self.instance
        merged = {key: attrs.get(key, getattr(instance, key, None)) for key in ("nik", "sex", "birth_date")}
        errors = person_identity_errors(
            nik=merged["nik"],
            sex=merged["sex"],
            birth_date=merged["birth_date"],
            exclude_pk=instance.pk if instance else None,
        )
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class PersonCreateSerializer(PersonSerializer):
    household = serializers.PrimaryKeyRelatedField(queryset=Household.objects.none())

    class Meta(PersonSerializer.Meta):
        read_only_fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households_for(self.context["request"].user)


class HouseholdSerializer(ModelSerializer):
    kk_number_masked = serializers.SerializerMethodField()
    head_name = serializers.CharField(source="head.name", read_only=True, default=None, allow_null=True)
    desa_name = serializers.CharField(source="desa.name", read_only=True)
    poverty_result = serializers.CharField(read_only=True, allow_null=True)
    kk_number = KKNumberField(max_length=16, write_only=True)

    class Meta:
        model = Household
        # The declared facts, then what the API adds: the masked KK number, the head (kept by the
        # registry, read-only), the names of head and desa, the current poverty status.
        fields = [
            "id",
            *api_fields(HOUSEHOLD_FIELDS),
            "kk_number_masked",
            "head",
            "head_name",
            "desa_name",
            "poverty_result",
        ]
        read_only_fields = ["head", *api_read_only(HOUSEHOLD_FIELDS)]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["desa"].queryset = desa_for(request.user)

    def get_kk_number_masked(self, obj) -> str:
        return mask_nik(obj.kk_number)

    def validate_kk_number(self, value):
        errors = kk_errors(value, exclude_household_pk=self.instance.pk if self.instance else None)
        if errors:
            raise serializers.ValidationError(errors)
        return value


class HouseholdDetailSerializer(HouseholdSerializer):
    members = PersonListSerializer(many=True, read_only=True)

    class Meta(HouseholdSerializer.Meta):
        fields = [*HouseholdSerializer.Meta.fields, "members"]


class SearchSerializer(serializers.Serializer):
    """Search terms travel in the body, never in the URL (they may be a NIK)."""

    q = TextField(max_length=100, help_text=_("NIK, nomor KK atau nama"))
