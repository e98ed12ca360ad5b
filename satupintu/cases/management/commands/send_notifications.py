import time

from django.core.management.base import BaseCommand

from satupintu.cases.outbox import deliver_pending


class Command(BaseCommand):
    help = "Deliver queued SMS/WhatsApp texts through the configured gateway, with retries."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running, polling every --interval seconds")
        parser.add_argument("--interval", type=float, default=10.0)

    def handle(self, *args, **options):
        while True:
            counts = deliver_pending()
            self.stdout.write(f"terkirim: {counts['sent']}, dicoba lagi: {counts['retry']}, gagal: {counts['failed']}")
            if not options["loop"]:
                return
            time.sleep(options["interval"])
