import time

from django.core.management.base import BaseCommand, CommandError

from satupintu.demo.registry import generate
from satupintu.registry.models import Household


class Command(BaseCommand):
    help = "Generate a seeded, realistic demo registry over every desa (skipped if households exist)."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=2012)

    def handle(self, *args, **options):
        existing = Household.objects.count()
        if existing:
            self.stdout.write(f"Registri sudah berisi {existing} rumah tangga; tidak ada yang ditambahkan.")
            return
        if options["households"] < 1:
            raise CommandError("--households harus minimal 1.")
        start = time.perf_counter()

        def progress(households, people):
            self.stdout.write(f"  {households} rumah tangga, {people} jiwa ({time.perf_counter() - start:.1f} dtk)")

        try:
            households, people = generate(options["households"], seed=options["seed"], progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Selesai: {households} rumah tangga, {people} jiwa dalam {time.perf_counter() - start:.1f} detik."
        )
