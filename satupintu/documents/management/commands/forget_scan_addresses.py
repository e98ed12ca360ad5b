from django.conf import settings
from django.core.management.base import BaseCommand

from satupintu.documents.retention import forget_scan_addresses


class Command(BaseCommand):
    help = (
        "Blank the IP address and browser of verification-page scans older than "
        "SCAN_ADDRESS_RETENTION_DAYS (idempotent; scheduled daily)."
    )

    def handle(self, *args, **options):
        count = forget_scan_addresses()
        days = settings.SCAN_ADDRESS_RETENTION_DAYS
        self.stdout.write(f"scans older than {days} days blanked: {count}")
