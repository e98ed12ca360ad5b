from django.core.management.base import BaseCommand

from satupintu.ops.schedules import JOBS, ensure_schedules, interval


class Command(BaseCommand):
    help = "Create the schedule of every periodic job that has none (idempotent; `migrate` runs it too)."

    def handle(self, *args, **options):
        created = ensure_schedules()
        self.stdout.write(f"jadwal baru: {created}, dijadwalkan: {len(JOBS)}")
        for job in JOBS:
            self.stdout.write(f"  {job.name}: setiap {interval(job)} menit")
