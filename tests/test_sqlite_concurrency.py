"""Several processes writing to one SQLite file wait for each other instead of failing.

Runs against its own SQLite file in subprocesses, whatever database the rest of the suite uses.
"""

import os
import subprocess
import sys

WORKER = """
import django
django.setup()
from django.db import transaction
from satupintu.audit.models import AuditLog
for i in range(25):
    with transaction.atomic():
        # Read, then write: under SQLite's default DEFERRED mode this upgrade fails at once with
        # "database is locked" when another process writes; IMMEDIATE takes the lock at BEGIN.
        n = AuditLog.objects.count()
        AuditLog.objects.create(action="create", object_type="test", object_id=str(n))
"""


def test_concurrent_writers_on_sqlite_never_fail_with_database_locked(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'concurrency.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
    }
    subprocess.run([sys.executable, "-m", "satupintu.cli", "migrate", "-v0"], env=env, check=True, capture_output=True)
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER], env=env, stderr=subprocess.PIPE, text=True) for _ in range(4)
    ]
    errors = [worker.communicate(timeout=120)[1] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0, 0, 0], errors
    count = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from satupintu.audit.models import AuditLog; "
            "print(AuditLog.objects.filter(object_type='test').count())",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert count.stdout.strip() == "100"
