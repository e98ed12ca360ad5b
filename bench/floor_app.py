"""The floor of bench/web_bench.py: a bare Django site on the bench's database.

One view, one indexed query (a household by primary key), a tiny template, no middleware, no
session: what Django itself costs per request on this machine. Served by gunicorn with the
project's own gunicorn.conf.py and worker count, so the two sites differ only in what the project
adds. `DATABASE_URL` names the database (the bench's).
"""

import os
import random

import dj_database_url
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ.get("SECRET_KEY", "floor-only"),
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    DATABASES={"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=600)},
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates"}],
    USE_TZ=True,
)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.urls import path  # noqa: E402

PAGE = engines["django"].from_string(
    "<!doctype html><html><head><title>floor</title></head><body><p>{{ id }} {{ kk }}</p></body></html>"
)
_highest: list[int] = []


def household(request):
    with connection.cursor() as cursor:
        if not _highest:
            cursor.execute("SELECT COALESCE(MAX(id), 1) FROM registry_household")
            _highest.append(cursor.fetchone()[0])
        cursor.execute("SELECT id, kk_number FROM registry_household WHERE id = %s", [random.randint(1, _highest[0])])
        row = cursor.fetchone() or (0, "")
    return HttpResponse(PAGE.render({"id": row[0], "kk": row[1]}))


urlpatterns = [path("", household)]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
