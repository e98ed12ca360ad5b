from django.core.management.base import BaseCommand

from satupintu.cases.demo import ensure_demo_cases


class Command(BaseCommand):
    help = "Demo applications in every state (run after demo-setup's users and registry exist)."

    def handle(self, *args, **options):
        self.stdout.write(f"permohonan demo dibuat: {ensure_demo_cases()}")
