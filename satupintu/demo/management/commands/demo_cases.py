from django.core.management.base import BaseCommand

from satupintu.demo.cases import ensure_demo_cases


class Command(BaseCommand):
    help = "Demo applications in every state (run after demo-setup's users and registry exist)."

    def handle(self, *args, **options):
        created = ensure_demo_cases()
        self.stdout.write(f"permohonan demo dibuat: {len(created)} (lacak di /lacak/ dengan nomor dan PIN):")
        for number, pin, status in created:
            self.stdout.write(f"  {number}  PIN {pin}  {status}")
