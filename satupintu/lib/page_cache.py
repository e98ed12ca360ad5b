"""Public pages rendered once per worker and served to every visitor they are the same for.

A visitor without a session cookie and without a pending message, asking a public page by GET with
no query string, sees exactly what every such visitor sees in the same language: the page's own
content (the charter, the published figures, an empty tracking form) and the public frame. Only
the CSRF token of its forms differs per visitor. Such a page is rendered once per (path, language,
version) with a placeholder where the token goes, kept in the worker's memory, and each request
gets a copy with its own token put in:

    def maklumat(request):
        return page_cache.serve(request, (versions.version("catalogue"), today), lambda: render(...))

`version` names what the page is built from (a catalogue version, a day, a build of the figures):
a new version renders the page again; `None` (nothing to name it by) renders it every time. Every
other request (signed in, a form posted, a message to show, a query string) is rendered as usual.
The rendered page is kept only when it is a plain 200 answer; the middleware (security headers,
CSP, no-store, the CSRF cookie) runs on every request.

`keep_fragment(key, version, text, until)` keeps a part of a signed-in page the same way, per key
(an officer, a language) while `version` holds (the officer's name, role and area) and until the
values it shows are counted again; `kept_fragment(key, version)` gives it back. The frame around it
(menu, messages, forms with their tokens) is rendered every time.
"""

import datetime as dt
import threading
from collections.abc import Callable, Hashable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

# What a page rendered for keeping carries instead of a CSRF token; no token can look like it.
SLOT = "csrf-token-slot-of-a-kept-page"
ENTRIES = 64

FRAGMENTS = 512

_pages: dict[tuple, tuple[str, bytes]] = {}
_fragments: dict[Hashable, tuple[Hashable, dt.datetime, str]] = {}
_lock = threading.Lock()


def shared(request) -> bool:
    """Whether this request asks for the page every visitor without a session sees."""
    return (
        request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def csrf_slot(request) -> dict:
    """Context processor: the placeholder as the CSRF token while a page is rendered for keeping."""
    return {"csrf_token": SLOT} if getattr(request, "renders_kept_page", False) else {}


def _with_token(request, content: bytes) -> bytes:
    return content.replace(SLOT.encode(), get_token(request).encode()) if SLOT.encode() in content else content


def serve(request, version: Hashable, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The page `render()` answers, rendered once per path, language and `version` for the visitors
    it is the same for (`shared`), and rendered for this request for everyone else."""
    if version is None or not shared(request):
        return render()
    key = (request.path, get_language(), version)
    page = _pages.get(key)
    if page is not None:
        content_type, content = page
        return HttpResponse(_with_token(request, content), content_type=content_type)
    request.renders_kept_page = True
    try:
        response = render()
    finally:
        request.renders_kept_page = False
    if response.streaming:
        return response
    if response.status_code == 200 and set(response.headers) <= {"Content-Type"}:
        with _lock:  # the worker's threads share the dictionary
            while len(_pages) >= ENTRIES:
                _pages.pop(next(iter(_pages)))
            _pages[key] = (response["Content-Type"], response.content)
    response.content = _with_token(request, response.content)
    return response


def kept_fragment(key: Hashable, version: Hashable) -> str | None:
    """The fragment kept under `key` for `version`, if its time has not passed."""
    kept = _fragments.get(key)
    if kept is None or kept[0] != version or timezone.now() >= kept[1]:
        return None
    return kept[2]


def keep_fragment(key: Hashable, version: Hashable, text: str, until: dt.datetime) -> None:
    """Keep `text` under `key` for `version` until `until` (when the values it shows are counted
    again). A fragment holding a CSRF token is not kept: the token is the visitor's own."""
    if "csrfmiddlewaretoken" in text or until <= timezone.now():
        return
    with _lock:
        while len(_fragments) >= FRAGMENTS:
            _fragments.pop(next(iter(_fragments)))
        _fragments[key] = (version, until, text)


def forget() -> None:
    """Drop this worker's kept pages and fragments (tests; they also give way to new versions)."""
    with _lock:
        _pages.clear()
        _fragments.clear()
