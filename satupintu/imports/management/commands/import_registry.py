import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from satupintu.imports import services, workflow
from satupintu.imports.loader import import_batch
from satupintu.imports.models import RowError, State
from satupintu.imports.pipeline import validate_batch


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Import households and members from an XLSX or CSV file (one row per person, keyed by KK)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Validate and report; write nothing.")
        parser.add_argument("--source", default="desa", help="Data source, e.g. DTSEN (recorded on assessments).")
        parser.add_argument("--user", help="Username acting (scope and audit); default: the unit, unscoped.")
        parser.add_argument("--no-fuzzy", action="store_true", help="Skip fuzzy duplicate detection.")
        parser.add_argument("--errors", help="Write the error report (CSV) to this path.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {path}")
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"Pengguna tidak dikenal: {options['user']}")
        start = time.perf_counter()
        try:
            with transaction.atomic():
                batch = self._run(path, actor, options)
                self._report(batch, options, time.perf_counter() - start)
                if options["dry_run"]:
                    raise Rollback
        except Rollback:
            self.stdout.write("Uji coba (--dry-run): tidak ada yang disimpan.")
            return
        if batch.state == State.FAILED:
            raise CommandError(batch.reason)

    def _run(self, path, actor, options):
        with open(path, "rb") as handle:
            batch = services.batch_create(actor=actor, upload=handle, name=path.name, source=options["source"])
        batch = workflow.move(batch, "validate")
        batch = validate_batch(batch, fuzzy=False if options["no_fuzzy"] else None)
        if batch.state != State.VALIDATED or options["dry_run"]:
            return batch
        # Whoever runs the command on the server acts as the approver.
        batch = workflow.move(
            batch, "approve", actor=actor, command_line=True, reason="import-registry", heartbeat=timezone.now()
        )
        return import_batch(batch, actor=actor)

    def _report(self, batch, options, seconds):
        self.stdout.write(
            f"{batch.reference} {batch.get_state_display()} dalam {seconds:.1f} detik: {batch.total_rows} baris, "
            f"{batch.valid_rows} valid, {batch.invalid_rows} tidak valid, {batch.duplicate_rows} duplikat, "
            f"{batch.held_rows} ditahan."
        )
        if batch.state == State.IMPORTED:
            self.stdout.write(
                f"Rumah tangga baru {batch.households_created}, diubah {batch.households_updated}; "
                f"anggota baru {batch.people_created}, diubah {batch.people_updated}; "
                f"tidak berubah {batch.unchanged_rows}."
            )
        if batch.reason:
            self.stdout.write(batch.reason)
        errors = RowError.objects.filter(batch=batch)
        for error in errors[:20]:
            self.stdout.write(f"  baris {error.row_number} {error.column}: {error.message}")
        if options["errors"]:
            from satupintu.imports.report import write_error_report

            with open(options["errors"], "w", encoding="utf-8", newline="") as handle:
                write_error_report(batch, handle)
