from django.core.management.base import BaseCommand

from satupintu.documents.scans import write_scan_counts


class Command(BaseCommand):
    help = (
        "Write the verification page's repeat openings, counted in the shared cache (Redis), into the "
        "scan log (scheduled every minute; without Redis there is nothing to write)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"openings written: {write_scan_counts()}")
