from django.core.management.base import BaseCommand

from satupintu.ops.housekeeping import forget_expired_cache_entries


class Command(BaseCommand):
    help = "Delete the shared cache's expired entries (scheduled every ten minutes as forget-expired-cache)."

    def handle(self, *args, **options):
        self.stdout.write(f"expired cache entries deleted: {forget_expired_cache_entries()}")
