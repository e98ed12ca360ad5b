from django.core.management.base import BaseCommand

from satupintu.targeting.run import run_targeting


class Command(BaseCommand):
    help = "Evaluate every service's eligibility rules over the whole registry and store the results."

    def handle(self, *args, **options):
        run = run_targeting()
        self.stdout.write(
            f"{run.reference} aturan {run.ruleset_version}: {run.households} rumah tangga, {run.seconds:.2f} detik; "
            f"{run.counts}; baru {run.added}, hilang {run.removed}, berubah {run.changed}; hash {run.result_hash[:16]}"
        )
