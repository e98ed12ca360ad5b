import signal
import threading

from django.core.management.base import BaseCommand

from satupintu.notifications.outbox import deliver_pending


class Command(BaseCommand):
    help = "Deliver queued SMS/WhatsApp texts through the configured gateway, with retries."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running, polling every --interval seconds")
        parser.add_argument("--interval", type=float, default=10.0)

    def handle(self, *args, **options):
        # SIGTERM/SIGINT: finish the text being sent, record its outcome, then stop.
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        while not stop.is_set():
            counts = deliver_pending(should_stop=stop.is_set)
            self.stdout.write(f"terkirim: {counts['sent']}, dicoba lagi: {counts['retry']}, gagal: {counts['failed']}")
            if not options["loop"]:
                return
            stop.wait(options["interval"])
        self.stdout.write("berhenti")
