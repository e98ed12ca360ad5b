from django.core.management.base import BaseCommand, CommandError

from satupintu.audit import chain


class Command(BaseCommand):
    help = (
        "Walk the hash chain of the audit log and of the events of applications, complaints and import "
        "batches; name the first row that is not as it was written (exit status 1)."
    )

    def handle(self, *args, **options):
        broken = []
        for model in chain.chained_models():
            result = chain.verify(model)
            if result.broken_id is None:
                self.stdout.write(f"{result.stream}: {result.rows} rows, intact")
            else:
                self.stdout.write(f"{result.stream}: broken at id {result.broken_id}: {result.problem}")
                broken.append(result.stream)
        if broken:
            raise CommandError(f"hash chain broken: {', '.join(broken)}")
