"""CACHE_URL puts the shared cache in Redis (satupintu/settings.py): the settings it makes, the
refusal of anything else, and the public pages' attempt counters counting every attempt of
concurrent workers there."""

import os
import socket
import subprocess
import sys
import threading
import uuid

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from satupintu.lib import throttle

REDIS = "redis://127.0.0.1:6379/14"


def redis_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


def settings_with(cache_url: str) -> subprocess.CompletedProcess:
    code = (
        "from django.conf import settings; c = settings.CACHES['default']; "
        "print(c['BACKEND'], c['LOCATION'], settings.SESSION_ENGINE)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "satupintu.settings", "CACHE_URL": cache_url, "DEBUG": "1"}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


def test_cache_url_names_the_redis_backend_reads_sessions_through_it_and_refuses_anything_else():
    made = settings_with(REDIS)
    assert made.returncode == 0, made.stderr
    assert made.stdout.split() == [
        "satupintu.lib.redis_cache.RedisCache",
        REDIS,
        "django.contrib.sessions.backends.cached_db",  # sessions read through Redis, kept in the database
    ]
    without = settings_with("").stdout.split()
    assert without[0] == "django.core.cache.backends.db.DatabaseCache"
    assert without[-1] == "django.contrib.sessions.backends.db"
    refused = settings_with("memcached://127.0.0.1:11211")
    assert refused.returncode != 0 and "CACHE_URL='memcached://127.0.0.1:11211': a Redis address" in refused.stderr


@pytest.mark.skipif(not redis_running(), reason="no Redis at 127.0.0.1:6379")
@override_settings(CACHES={"default": {"BACKEND": "satupintu.lib.redis_cache.RedisCache", "LOCATION": REDIS}})
def test_in_redis_every_attempt_of_concurrent_clients_is_counted_and_the_limit_holds_exactly():
    request = RequestFactory().get("/v/x", REMOTE_ADDR=f"10.9.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}")
    scope = f"test-{uuid.uuid4().hex}"
    allowed: list[bool] = []
    lock = threading.Lock()

    def client() -> None:
        for _ in range(25):
            verdict = throttle.allow(scope, request, limit=150, window=60)
            with lock:
                allowed.append(verdict)

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 200
    assert allowed.count(True) == 150  # no two attempts were counted as one
    assert cache.get(f"satupintu:{scope}:{throttle._digest(request.META['REMOTE_ADDR'])}") == 200


@pytest.mark.skipif(not redis_running(), reason="no Redis at 127.0.0.1:6379")
@override_settings(CACHES={"default": {"BACKEND": "satupintu.lib.redis_cache.RedisCache", "LOCATION": REDIS}})
def test_in_redis_a_counter_starts_again_when_its_window_ends_and_one_client_serves_every_call():
    import time

    key = f"test-window-{uuid.uuid4().hex}"
    assert [cache.count_in_window(key, 1) for _ in range(3)] == [1, 2, 3]
    time.sleep(1.2)
    assert cache.count_in_window(key, 1) == 1
    backend = cache._cache
    assert backend.get_client(write=True) is backend.get_client(write=True)


@pytest.mark.skipif(not redis_running(), reason="no Redis at 127.0.0.1:6379")
def test_with_sessions_read_through_redis_a_signed_in_page_asks_the_database_no_session(client, settings, kepala):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    redis = {"BACKEND": "satupintu.lib.redis_cache.RedisCache", "LOCATION": REDIS, "KEY_PREFIX": uuid.uuid4().hex}
    settings.CACHES = {"default": redis}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.force_login(kepala)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]
    from django.contrib.sessions.models import Session

    assert Session.objects.filter(session_key=client.session.session_key).exists()  # kept in the database too
