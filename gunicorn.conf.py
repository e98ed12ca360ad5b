"""gunicorn settings of Satu Pintu: `gunicorn -c gunicorn.conf.py satupintu.wsgi` (as `make demo` does).

The application, every URL module and the libraries they import are loaded once in the master
before the workers fork (`preload_app`), so a worker answers its first request at once instead of
importing the whole site first — on a busy machine that took past the 30 s timeout, and the
worker was killed and restarted, again and again. Each worker serves several requests at once
in threads, so one slow request (a PDF batch, an XLSX report) does not hold up the others. Each
worker also runs the health listener (satupintu/health.py) on its own port, answering `/healthz`
while the request threads are busy.
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", "3"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
preload_app = True
# A request running longer than this is stopped (a batch of cards is the longest, well under it).
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
accesslog = "-"


def post_worker_init(worker):
    """Start the health listener (satupintu/health.py) in this worker: `HEALTH_BIND`, by default the
    site's own host with the next port (127.0.0.1:8001 beside 127.0.0.1:8000); `HEALTH_BIND=off`
    starts none."""
    from satupintu import health

    bind = os.environ.get("HEALTH_BIND", "")
    if bind == "off":
        return
    if bind:
        address = health.parse_bind(bind)
    else:
        host, port = worker.sockets[0].getsockname()[:2]
        address = (host, port + 1)
    health.serve(address)
