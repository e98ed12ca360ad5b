from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from satupintu.backups.restore import BackupError, conflicts, open_backup, restore


class Command(BaseCommand):
    requires_system_checks = []  # a backup or restore must not depend on the rest of the site loading
    help = (
        "Restore a backup made by `backup DIR`: check the manifest and every file's checksum first, refuse "
        "a database that already has tables (or other media, another signing key) unless --force, restore, "
        "then compare every table's rows and checksum with the manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", type=Path)
        parser.add_argument("--force", action="store_true", help="replace what is there (asks first)")
        parser.add_argument("--no-input", "--noinput", action="store_false", dest="interactive")
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        alias = options["database"]
        try:
            backup = open_backup(options["dir"].resolve(), alias)
            found = conflicts(backup, alias)
            if found and not options["force"]:
                raise BackupError(
                    _("Pemulihan ditolak, tidak ada yang diubah: %(what)s. Gunakan --force untuk menimpanya.")
                    % {"what": "; ".join(found)}
                )
            if found and options["interactive"]:
                self._confirm(found)
            tables = restore(backup, alias)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(table["rows"] for table in tables.values())
        self.stdout.write(
            _(
                "Pemulihan selesai dan cocok dengan manifest: %(tables)d tabel, %(rows)d baris. "
                "Jalankan `satupintu migrate` bila kodenya lebih baru, lalu mulai ulang layanan."
            )
            % {"tables": len(tables), "rows": rows}
        )

    def _confirm(self, found):
        self.stdout.write(_("Pemulihan akan menimpa:"))
        for line in found:
            self.stdout.write(f"  - {line}")
        if input(_("Ketik 'ya' untuk melanjutkan: ")).strip().lower() != "ya":
            raise CommandError(_("Dibatalkan; tidak ada yang diubah."))
