from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.backups.archive import BackupError, create_backup, dated_folder, prune


class Command(BaseCommand):
    requires_system_checks = []  # a backup or restore must not depend on the rest of the site loading
    help = (
        "Back up the database (pg_dump, or SQLite's online backup), the media files, the document signing "
        "key and a summary of the settings into DIR, with manifest.json (checksums of every file, each "
        "table's rows and checksum). The secret key is left out unless --with-secrets."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "dir", type=Path, help="a new or empty folder (with --dated: the folder that holds backups)"
        )
        parser.add_argument("--dated", action="store_true", help="write into DIR/satupintu-YYYYMMDD-HHMMSS")
        parser.add_argument("--keep", type=int, help="with --dated: then delete all but the newest KEEP dated backups")
        parser.add_argument(
            "--with-secrets", action="store_true", help="also write SECRET_KEY and tokens, in clear, to secrets.json"
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        if options["keep"] is not None and (not options["dated"] or options["keep"] < 1):
            raise CommandError(_("--keep hanya berlaku bersama --dated dan harus paling sedikit 1."))
        folder = options["dir"].resolve()
        if options["dated"]:
            folder.mkdir(parents=True, exist_ok=True)
            folder = dated_folder(folder, timezone.localtime())
        try:
            manifest = create_backup(folder, alias=options["database"], with_secrets=options["with_secrets"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            _("Cadangan selesai: %(path)s (%(tables)d tabel, %(rows)d baris, %(files)d berkas).")
            % {"path": folder, "tables": len(manifest["tables"]), "rows": rows, "files": len(manifest["files"])}
        )
        if not manifest["signing_key"]:
            self.stderr.write(_("Peringatan: belum ada kunci tanda tangan dokumen untuk dicadangkan."))
        if options["with_secrets"]:
            self.stderr.write(
                _("Peringatan: secrets.json memuat SECRET_KEY tanpa sandi; simpan cadangan ini terenkripsi.")
            )
        if options["keep"]:
            for path in prune(folder.parent, options["keep"]):
                self.stdout.write(_("Cadangan lama dihapus: %(path)s") % {"path": path})
