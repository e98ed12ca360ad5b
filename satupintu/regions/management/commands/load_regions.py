from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from satupintu.regions.loader import SRAGEN_CSV, RegionFileError, load_regions


class Command(BaseCommand):
    help = "Load a kabupaten's regions from a CSV (code,name,level,parent_code). Default: Sragen."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(SRAGEN_CSV))
        parser.add_argument("--kabupaten-name", default=None, help="Name of the kabupaten if the file lacks its row.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"File tidak ditemukan: {path}")
        name = options["kabupaten_name"]
        if name is None and path == SRAGEN_CSV:
            name = "Sragen"
        try:
            result = load_regions(path, kabupaten_name=name)
        except RegionFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Wilayah: {result.created} dibuat, {result.updated} diperbarui.")
