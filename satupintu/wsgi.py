import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
application = get_wsgi_application()

# Refuse to start without the document signing key rather than sign with a new one that no QR
# printed until now verifies against (documents/signing.py).
signing = import_module("satupintu.documents.signing")
signing.private_key()

# Import every URL module now, when the server loads the application (once, in gunicorn's master
# with preload_app), rather than on each worker's first request.
import_module(settings.ROOT_URLCONF)
# No database connection may be shared by the workers forked from here.
connections.close_all()
