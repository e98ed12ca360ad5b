from django.core.management.base import BaseCommand

from satupintu.imports.services import next_batch, run_batch


class Command(BaseCommand):
    help = (
        "By hand: validate uploaded and import approved batches in this process, until none is waiting. "
        "The task cluster (`satupintu qcluster`) does this on its own when a batch is uploaded or approved."
    )

    def handle(self, *args, **options):
        while batch := next_batch():
            batch = run_batch(batch)
            self.stdout.write(f"{batch.reference}: {batch.state} {batch.reason}".rstrip())
