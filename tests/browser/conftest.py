"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright against the live test server."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (see .ci/run).")
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test are sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """The services, agencies and letter templates that `migrate` loads. Each transactional test
    ends with a flush that empties every table, migrated reference data included, and pytest-django
    runs the transactional tests after all others, in file order: a journey must not depend on
    being the first of them. The loaders are migrate's own, idempotent (the letterhead settings
    row is made on first use by `DocumentSettings.current()`)."""
    from satupintu.accounts.reference import ensure_agencies
    from satupintu.catalogue.data import load_current
    from satupintu.documents.letter_types import ensure_letter_templates

    ensure_agencies()
    load_current()
    ensure_letter_templates()
