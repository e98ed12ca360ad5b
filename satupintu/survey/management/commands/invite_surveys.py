from django.core.management.base import BaseCommand

from satupintu.survey.actions import invite_completed


class Command(BaseCommand):
    help = (
        "Invite the applicants of completed applications to the SKM survey (idempotent; scheduled hourly). "
        "The SMS links to the public site set in DOCUMENT_VERIFY_BASE_URL, as the QR codes do."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"invited: {invite_completed()}")
