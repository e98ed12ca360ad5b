from django.core.management.base import BaseCommand

from satupintu.cases.sweep import check_deadlines


class Command(BaseCommand):
    help = "Mark open applications due soon or overdue (idempotent; scheduled every 5 minutes)."

    def handle(self, *args, **options):
        counts = check_deadlines()
        self.stdout.write(
            f"segera jatuh tempo: {counts['due_soon']}, lewat batas waktu: {counts['overdue']}, "
            f"verifikasi lewat batas: {counts['verification_overdue']}, rujukan segera jatuh tempo: "
            f"{counts['referral_due_soon']}, rujukan lewat batas: {counts['referral_overdue']}"
        )
