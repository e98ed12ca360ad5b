from django.core.management.base import BaseCommand

from satupintu.survey.actions import invite_completed


class Command(BaseCommand):
    help = "Invite the applicants of completed applications to the SKM survey (idempotent; run from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="", help="e.g. https://satupintu.sragenkab.go.id")

    def handle(self, *args, **options):
        self.stdout.write(f"invited: {invite_completed(options['base_url'].rstrip('/'))}")
