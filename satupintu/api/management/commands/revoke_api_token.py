from django.core.management.base import BaseCommand, CommandError

from satupintu.api import tokens
from satupintu.api.models import ApiToken


class Command(BaseCommand):
    help = "Revoke an API token by its prefix (as the admin lists it), or every token of a user."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("prefix", nargs="?", help="the token's prefix, e.g. sp_AbCdEfG")
        target.add_argument("--user", help="revoke every usable token of this user")
        parser.add_argument("--reason", required=True)

    def handle(self, *args, prefix, user, reason, **options):
        if not reason.strip():
            raise CommandError("--reason must not be empty.")
        found = ApiToken.objects.filter(revoked_at__isnull=True)
        found = found.filter(user__username=user) if user else found.filter(prefix=prefix)
        found = list(found)
        if not found:
            raise CommandError("No usable token matches.")
        if prefix and len(found) > 1:
            raise CommandError(f"{len(found)} tokens share this prefix; revoke them in the admin.")
        for token in found:
            tokens.revoke(token, actor=None, reason=reason)
            self.stdout.write(f"Revoked {token.prefix}… of {token.user}.")
