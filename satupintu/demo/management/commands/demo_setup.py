from django.core.management import call_command
from django.core.management.base import BaseCommand

from satupintu.demo.accounts import DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_TOTP_URI, ensure_demo_users
from satupintu.demo.allocation import ensure_allocation_demo
from satupintu.demo.budgets import ensure_budgets_demo, ensure_ledger_demo
from satupintu.demo.emergency import ensure_emergency_demo
from satupintu.demo.fairness import ensure_fairness_demo
from satupintu.demo.justice import ensure_justice_demo
from satupintu.demo.raskin import ensure_raskin_demo
from satupintu.regions.loader import SRAGEN_CSV
from satupintu.regions.models import Region


class Command(BaseCommand):
    help = "Reference data, demo registry and demo accounts. Safe to run again: nothing is duplicated."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=2000)

    def handle(self, *args, **options):
        if not Region.objects.filter(code="33.14").exists():
            call_command("load_regions", str(SRAGEN_CSV), stdout=self.stdout)
        call_command("generate_demo", households=options["households"], stdout=self.stdout)
        rows = ensure_demo_users()
        call_command("demo_cases", stdout=self.stdout)
        call_command("demo_documents", stdout=self.stdout)
        ensure_justice_demo(self.stdout)
        ensure_emergency_demo(self.stdout)
        ensure_budgets_demo(self.stdout)
        ensure_allocation_demo(self.stdout)  # after the budgets demo: its programmes and ceilings
        ensure_ledger_demo(self.stdout)  # after the allocation demo: pays from its rounds' commitments
        ensure_raskin_demo(self.stdout)  # after the allocation demo: its approved raskin applications
        ensure_fairness_demo(self.stdout)
        self.stdout.write(f"\nAkun demo (kata sandi untuk semua: {DEMO_PASSWORD}):")
        for username, role, area in rows:
            self.stdout.write(f"  {username:<14} {role:<28} {area}")
        self.stdout.write(
            "\nVerifikasi dua langkah (semua akun demo kecuali mitra dan auditor): tambahkan kunci "
            f"{DEMO_TOTP_SECRET} (berbasis waktu) ke aplikasi autentikator, lalu masukkan kodenya setelah kata sandi."
            f"\n  {DEMO_TOTP_URI}"
        )
