import json
import logging
import re
import sqlite3
import threading
import time
import weakref
from functools import lru_cache

from csp import middleware as csp_middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.core.signals import setting_changed
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.backends.signals import connection_created
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import check_for_language

logger = logging.getLogger(__name__)
API_PREFIX = "/api/"
RETRY_AFTER = 30  # seconds, in the 503's Retry-After header and the page's own refresh


class LanguageMiddleware:
    """Bahasa Indonesia unless the user chose another language in the top bar.

    Django's LocaleMiddleware follows the browser's Accept-Language; office PCs often run an
    English browser, and the staff work in Indonesian. Only the explicit choice (the language
    cookie set by the switcher) changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen and check_for_language(chosen) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        translation.deactivate()
        return response


class ClientAddressMiddleware:
    """The client's address behind a front web server that cannot pass it in the PROXY protocol
    (nginx): when the request comes from an address in TRUSTED_PROXIES, REMOTE_ADDR becomes the
    right-most address of `X-Forwarded-For` that is not itself a trusted proxy — the one the
    trusted proxy saw. From any other address the header is ignored (a client could write
    anything in it). The rate limits, the login lockout and the scan log all read REMOTE_ADDR.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted = frozenset(settings.TRUSTED_PROXIES)

    def __call__(self, request):
        if self.trusted and request.META.get("REMOTE_ADDR") in self.trusted:
            hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
            client = next((hop for hop in reversed(hops) if hop not in self.trusted), None)
            if client:
                request.META["REMOTE_ADDR"] = client
        return self.get_response(request)


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except when saving the session after the view fails because of the database.

    Django turns every database error of that save into `SessionInterrupted`, a 400 "Bad Request"
    meant for a session deleted by a concurrent request (a sign-out). But the view has answered and
    its transaction is committed: when the database went away or a lock wait timed out, the answer
    is the 503 with Retry-After of any request that meets the database down, so that a client sends
    the request again (an API create with the same Idempotency-Key then gets the stored record)
    instead of taking a 400 as a refusal of what it sent. Any other database error is a 500. A
    session row that is gone (the concurrent sign-out) still answers 400.
    """

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except SessionInterrupted as interrupted:
            failure = getattr(interrupted.__context__, "__context__", None)
            # The row gone: Django's own DatabaseError, which no driver error caused.
            if not isinstance(failure, DatabaseError) or failure.__cause__ is None:
                raise
            answer = database_failure_response(request, failure)
            if answer is None:
                raise failure from None
            return answer


class SessionRefreshMiddleware:
    """The idle timeout without a session write on every request.

    A signed-in session expires `SESSION_COOKIE_AGE` seconds after it was last saved. Instead of
    saving it on every request (`SESSION_SAVE_EVERY_REQUEST`, a database write per page), a session
    in use is marked changed at most once per `SESSION_REFRESH_SECONDS`, which saves it and moves
    its expiry on: an idle user is signed out between AGE − REFRESH and AGE seconds after the last
    request. Requests without a session cookie (the public pages) do not load a session at all.
    """

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.session.get(SESSION_KEY):
            now = int(time.time())
            if now - request.session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                request.session[self.KEY] = now
        return self.get_response(request)


def is_lock_timeout(exception: BaseException) -> bool:
    """A statement gave up waiting for a lock: PostgreSQL's lock_not_available (55P03), SQLite's
    "database is locked" after its busy timeout."""
    if not isinstance(exception, OperationalError):
        return False
    if getattr(exception.__cause__, "sqlstate", None) == "55P03":
        return True
    return "database is locked" in str(exception)


# PostgreSQL's classes of "the server cannot serve now": connection exception, insufficient resources,
# and the shutdown states of operator intervention (57P01–57P03).
_UNAVAILABLE_SQLSTATES = ("08", "53", "57P01", "57P02", "57P03")
_SQLITE_UNAVAILABLE = ("unable to open database file", "disk I/O error")


def is_database_unavailable(exception: BaseException | None) -> bool:
    """The database does not answer at all (down, unreachable, out of connections), as opposed to a
    lock wait that timed out or an error of the query itself."""
    if isinstance(exception, InterfaceError):  # the connection is closed or unusable
        return True
    if not isinstance(exception, OperationalError) or is_lock_timeout(exception):
        return False
    cause = exception.__cause__
    if isinstance(cause, sqlite3.Error):
        return any(text in str(cause) for text in _SQLITE_UNAVAILABLE)
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate is None:  # the driver failed before the server said anything: no connection
        return True
    return sqlstate.startswith(_UNAVAILABLE_SQLSTATES)


def database_unavailable_response(request):
    """503 with Retry-After: JSON under /api/, otherwise a page that needs no database (no user, no
    session, no messages)."""
    logger.error("database unavailable on %s", request.path)
    message = _("Layanan sedang tidak dapat mengakses basis data. Coba lagi beberapa saat lagi.")
    if request.path.startswith(API_PREFIX):
        response = JsonResponse({"detail": str(message)}, status=503)
    else:
        response = render(request, "core/unavailable.html", {"message": message, "retry": RETRY_AFTER}, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


_request = threading.local()  # whether this thread is serving a web request now
_limited: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # driver connection -> lock_timeout set on it


def _limit_lock_waits(wrapper) -> None:
    """Set the session's lock_timeout on `wrapper`'s open PostgreSQL connection, once per value."""
    timeout = settings.WEB_LOCK_TIMEOUT
    raw = wrapper.connection
    if wrapper.vendor != "postgresql" or raw is None or _limited.get(raw) == timeout:
        return
    # On the driver's connection, in autocommit: a setting of the session, not a query of the
    # request (query counts stay as they are).
    raw.execute("SELECT set_config('lock_timeout', %s, false)", [timeout])
    _limited[raw] = timeout


def _connection_created(sender, connection, **kwargs):
    if getattr(_request, "active", False):
        _limit_lock_waits(connection)


class LockTimeoutMiddleware:
    """A web request waits for a lock at most `settings.WEB_LOCK_TIMEOUT`, then gets a 503 page
    that says what holds the data and when to try again.

    The first load of an empty registry (imports/firstload.py) locks the registry tables for its
    whole transaction, tens of seconds for a regency; without a limit a request for any registry
    page would wait until gunicorn kills its worker (30 s) and the user would see a broken page.
    The limit is PostgreSQL's session `lock_timeout`, set once per database connection: on the
    open one when a request starts, or as soon as the request opens one (no connection is opened
    for a request that needs none). Import workers and commands are not web requests: they keep
    waiting as long as they need.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        connection_created.connect(_connection_created, dispatch_uid="satupintu.lock_timeout")

    def __call__(self, request):
        _request.active = True
        try:
            if not connection.in_atomic_block:  # a setting made inside a transaction could be rolled back
                _limit_lock_waits(connection)
            return self.get_response(request)
        finally:
            _request.active = False

    def process_exception(self, request, exception):
        return database_failure_response(request, exception)


def database_failure_response(request, exception: BaseException | None):
    """The 503 with Retry-After for a database that does not answer or a lock wait that timed out;
    None for any other error."""
    if is_database_unavailable(exception):
        return database_unavailable_response(request)
    if not is_lock_timeout(exception):
        return None
    logger.warning("lock wait over %s on %s", settings.WEB_LOCK_TIMEOUT, request.path)
    loading = None
    try:
        from satupintu.imports.models import ImportBatch, State

        loading = ImportBatch.objects.filter(state=State.IMPORTING).order_by("pk").first()
    except DatabaseError:  # the request's transaction may be unusable; the page says less
        pass
    if request.path.startswith(API_PREFIX):
        response = JsonResponse(
            {"detail": str(_("Data sedang dikunci sementara (misalnya oleh impor registri). Coba lagi nanti."))},
            status=503,
        )
    else:
        response = render(request, "core/busy.html", {"loading": loading, "retry": RETRY_AFTER}, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


# NUL and the C0 controls that no text typed or pasted by a person contains (tab, CR and LF are
# text), and a lone UTF-16 surrogate, which a JSON escape can carry but no database can encode.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def _json_strings(value):
    """Every key and string value of a parsed JSON document, depth first, without recursion."""
    stack = [value]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            yield from value.keys()
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def _request_texts(request):
    """The texts of a request that reach queries and the database: path, query, headers, body fields."""
    yield request.path_info
    for key, values in request.GET.lists():
        yield key
        yield from values
    yield from (value for key, value in request.META.items() if key.startswith("HTTP_") and isinstance(value, str))
    # Django parses a form body for POST only. The API reads JSON only and answers a form with 415
    # unread; parsing it here would leave the API an empty body instead.
    if (
        request.method == "POST"
        and not request.path_info.startswith(API_PREFIX)
        and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        for key, values in request.POST.lists():
            yield key
            yield from values
        for key, uploads in request.FILES.lists():  # their names; the content is not read
            yield key
            yield from (upload.name for upload in uploads)
    elif request.content_type == "application/json" or request.content_type.endswith("+json"):
        try:
            document = json.loads(request.body)
        except ValueError:  # not JSON: the view's parser answers that
            return
        yield from _json_strings(document)


class ControlCharacterMiddleware:
    """Refuse, with a 400, a request whose path, query, headers or body fields contain NUL or another
    C0 control character (tab, CR and LF excepted).

    PostgreSQL cannot store NUL in text or JSON and fails the whole statement, so any view that
    looks up or saves such a value would answer 500; no person types these characters. The check
    is here once instead of in every form, serializer and lookup. The content of uploaded files
    (XLSX, CSV) is not read: the importer checks those cells itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            refused = any(CONTROL_CHARACTERS.search(text) for text in _request_texts(request))
        except RecursionError:  # a JSON body nested deeper than the parser can follow
            return refuse(request, _("Permintaan ditolak: dokumen JSON bersarang terlalu dalam."))
        if refused:
            return refuse(
                request,
                _(
                    "Permintaan ditolak: berisi karakter kontrol (misalnya NUL) atau karakter lain yang tidak sah "
                    "dalam teks."
                ),
            )
        return self.get_response(request)


def refuse(request, message: str):
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=400)
    return render(request, "core/bad_request.html", {"message": message}, status=400)


class NoStoreMiddleware:
    """Every answer of the site says `Cache-Control: no-store`, unless its view chose its own.

    Pages and API answers carry personal data (names, NIK, a case's status behind a PIN); no browser
    cache, shared proxy or back button may keep a copy. The static files are answered before this
    (whitenoise) and keep their long caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response


# What a view or decorator of django-csp sets on a response to change its policy.
_CSP_PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
                     "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro")  # fmt: skip


@lru_cache(maxsize=1)
def _csp_headers() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(header, policy, excluded path prefixes) of the settings' policy and report-only policy."""
    from csp.utils import build_policy

    headers = []
    for header, report_only in ((HEADER, False), (HEADER_REPORT_ONLY, True)):
        setting = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
        policy = build_policy(report_only=report_only)
        if policy:
            prefixes = tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
            headers.append((header, policy, prefixes))
    return tuple(headers)


def _forget_csp(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _csp_headers.cache_clear()


setting_changed.connect(_forget_csp, dispatch_uid="satupintu-csp-headers")


class CSPMiddleware(csp_middleware.CSPMiddleware):
    """django-csp's middleware, with the policy of a response that nothing changes (no nonce asked,
    no decorator) built once from the settings: the library builds both policies again for every
    response. Any other response goes through the library as it is."""

    def process_response(self, request, response):
        if (getattr(request, "_csp_nonce", None) is not None
                or any(hasattr(response, name) for name in _CSP_PER_RESPONSE)
                or (settings.DEBUG and response.status_code in (404, 500))):  # fmt: skip
            return super().process_response(request, response)
        for header, policy, prefixes in _csp_headers():
            if header not in response and not request.path_info.startswith(prefixes):
                response[header] = policy
        request.csp_nonce = csp_middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response
