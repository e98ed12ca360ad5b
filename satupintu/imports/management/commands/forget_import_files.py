from django.conf import settings
from django.core.management.base import BaseCommand

from satupintu.imports.retention import forget_import_files


class Command(BaseCommand):
    help = (
        "Delete the file, staged rows and pending pairs of import batches final for more than "
        "IMPORT_RETENTION_DAYS, and blank their row errors' quoted values (idempotent; scheduled daily)."
    )

    def handle(self, *args, **options):
        count = forget_import_files()
        days = settings.IMPORT_RETENTION_DAYS
        self.stdout.write(f"import batches final for more than {days} days forgotten: {count}")
