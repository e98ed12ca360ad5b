from django.core.management.base import BaseCommand
from django.db import transaction

from satupintu.registry import status


class Command(BaseCommand):
    help = (
        "Recompute every household's kept welfare status (the latest valid assessment) and member count "
        "from the assessments and people; print how many rows were out of date."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            corrected = status.refresh_all()
        self.stdout.write(f"households corrected: {corrected}")
