"""The `Idempotency-Key` header that every create of the API requires: one key per new record, the
same on every retry of it, so a client that lost the answer (a timeout, a server restart) can send
the request again without creating the record twice."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

KEY_MAX = 100

HEADER = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": KEY_MAX},
    OpenApiParameter.HEADER,
    required=True,
    description="One key per new record, the same on every retry of it.",
)


def required_key(request) -> str:
    """The request's key; 400 when it is missing or longer than KEY_MAX (refused, not cut: two long
    keys cut alike would be one record)."""
    key = request.headers.get("Idempotency-Key", "")
    if not key.strip():
        raise ValidationError(
            {"Idempotency-Key": [_("Wajib diisi: satu kunci per data baru, sama pada setiap pengiriman ulang.")]}
        )
    if len(key) > KEY_MAX:
        raise ValidationError({"Idempotency-Key": [_("Paling banyak %(n)d karakter.") % {"n": KEY_MAX}]})
    return key


class IdempotentCreate:
    """For a viewset with CreateModelMixin: the first answer to a key is kept and given again (200)."""

    @extend_schema(parameters=[HEADER])
    def create(self, request, *args, **kwargs):
        from .models import CreateReplay

        key = required_key(request)
        try:
            with transaction.atomic():
                # Claimed first: the same key sent at the same moment waits here for this one's outcome.
                claim = CreateReplay.objects.create(user=request.user, key=key, path=request.path)
                response = super().create(request, *args, **kwargs)
                claim.body = response.data
                claim.save(update_fields=["body"])
                return response
        except IntegrityError:
            earlier = CreateReplay.objects.filter(user=request.user, key=key).first()
            if earlier is None:
                raise
        if earlier.path != request.path:
            raise ValidationError({"Idempotency-Key": [_("Kunci ini sudah dipakai untuk data lain.")]})
        return Response(earlier.body, status=200)
