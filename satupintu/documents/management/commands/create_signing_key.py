from django.conf import settings
from django.core.management.base import BaseCommand

from satupintu.documents import signing


class Command(BaseCommand):
    help = (
        "Create the document signing key file (DOCUMENT_SIGNING_KEY_FILE) if it does not exist; with "
        "--rotate, retire the current key (its public key stays published) and sign with a new one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rotate", action="store_true", help="retire the current key and create a new one")

    def handle(self, *args, rotate=False, **options):
        if rotate:
            self.stdout.write(f"new signing key {signing.rotate()}; the retired keys stay published")
            return
        key = signing.create_key_file(settings.DOCUMENT_SIGNING_KEY_FILE)
        self.stdout.write(f"signing key {signing.key_id(key.public_key())} at {settings.DOCUMENT_SIGNING_KEY_FILE}")
