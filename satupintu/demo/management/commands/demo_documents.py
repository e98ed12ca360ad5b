from django.core.management.base import BaseCommand

from satupintu.demo.documents import issue_demo_documents


class Command(BaseCommand):
    help = "Issue demo cards and letters for poor households of one desa (households without documents only)."

    def add_arguments(self, parser):
        parser.add_argument("--desa", default="33.14.01.2001", help="Kemendagri code of the desa (default Keden)")
        parser.add_argument("--households", type=int, default=20)

    def handle(self, *args, **options):
        count = issue_demo_documents(desa_code=options["desa"], limit=options["households"])
        self.stdout.write(f"{count} dokumen diterbitkan.")
