from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .idempotency import KEY_MAX


class CreateReplay(models.Model):
    """The answer to a create of the registry API kept under the caller's Idempotency-Key: the same
    request sent again (a retry after a lost answer) gets it back instead of creating a second row."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.CharField(max_length=KEY_MAX)
    path = models.CharField(max_length=200)
    body = models.JSONField(null=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_create_per_idempotency_key")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
