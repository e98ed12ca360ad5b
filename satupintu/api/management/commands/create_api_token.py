from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from satupintu.accounts.models import User
from satupintu.api import tokens


class Command(BaseCommand):
    help = "Make an API token for a user and print its key (shown this once; only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--days", type=int, default=None, help=f"days valid (default API_TOKEN_DAYS, {settings.API_TOKEN_DAYS})"
        )
        parser.add_argument("--name", default="", help="what the token is for, e.g. the calling system")

    def handle(self, *args, username, days, name, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        token, key = tokens.issue(user, name=name, days=days)
        self.stderr.write(
            f"Token {token.prefix}… for {user.username}, valid until {token.expires_at:%Y-%m-%d %H:%M %Z}."
        )
        self.stdout.write(key)
