import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from satupintu.ops.supervisor import run


class Command(BaseCommand):
    help = (
        "Serve Satu Pintu: gunicorn (gunicorn.conf.py) and the task cluster (qcluster: the schedules, "
        "imports) as one service. SIGTERM or Ctrl-C stops both; when either stops, the other is stopped too."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", help="address:port (default: BIND, or gunicorn.conf.py's 127.0.0.1:8000)")
        parser.add_argument("--workers", type=int, help="gunicorn workers (default: WEB_WORKERS, or 3)")

    def handle(self, *args, **options):
        python = Path(sys.executable)
        web = [str(python.parent / "gunicorn"), "-c", str(settings.BASE_DIR / "gunicorn.conf.py"), "satupintu.wsgi"]
        if options["bind"]:
            web += ["--bind", options["bind"]]
        if options["workers"]:
            web += ["--workers", str(options["workers"])]
        tasks = [str(python), "-m", "satupintu.cli", "qcluster"]
        sys.exit(run({"web": web, "tasks": tasks}, cwd=settings.BASE_DIR))
