from django.core.management.base import BaseCommand

from satupintu.complaints.sweep import escalate_overdue


class Command(BaseCommand):
    help = "Escalate complaints whose first response or resolution is overdue (idempotent; scheduled every 15 minutes)."

    def handle(self, *args, **options):
        counts = escalate_overdue()
        self.stdout.write(f"response overdue: {counts[1]}, resolution overdue: {counts[2]}")
