"""The targeting run started from its page, queued for `satupintu qcluster`: over a regency's
registry it takes longer than a web request may wait."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django_q.tasks import async_task

from .run import run_targeting


def enqueue_targeting(actor) -> None:
    transaction.on_commit(lambda: async_task(run_targeting_for, actor.pk, task_name="sasaran", group="sasaran"))


def run_targeting_for(actor_id: int) -> str:
    run = run_targeting(actor=get_user_model().objects.get(pk=actor_id))
    return f"{run.reference}: {run.households} rumah tangga"
