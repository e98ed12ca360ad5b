import time

from django.core.management.base import BaseCommand

from satupintu.imports.services import next_batch, run_batch


class Command(BaseCommand):
    help = "Validate uploaded and import approved batches; with --once, stop when there is nothing to do."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--interval", type=float, default=5.0)

    def handle(self, *args, **options):
        while True:
            batch = next_batch()
            if batch is None:
                if options["once"]:
                    return
                time.sleep(options["interval"])
                continue
            batch = run_batch(batch)
            self.stdout.write(f"{batch.reference}: {batch.state} {batch.reason}".rstrip())
