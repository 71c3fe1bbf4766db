"""Playwright driving Debian's chromium (never `playwright install`). Outside CI a machine
without chromium skips these tests naming the package; under CI=true that is a failure."""

import os
import time
from collections.abc import Iterator
from typing import Any

import pytest

from shanghui.testing.programs import require_programs

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 375, "height": 812}


def require_program(path: str, package: str) -> None:
    require_programs(path, package=package)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    require_program(CHROMIUM, "chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between page actions are ordinary synchronous calls.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Reports every Content-Security-Policy violation of a page (a refused inline script or
# handler, an eval, a stylesheet or image from elsewhere) to the test through a binding;
# Playwright injects this before any of the page's own scripts, outside the policy.
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolation([event.violatedDirective, event.blockedURI,
    event.sourceFile + ":" + event.lineNumber].join(" "));
});
"""


@pytest.fixture(autouse=True)
def csp_violations(browser: Any) -> Iterator[list[str]]:
    """Every browser context a test opens reports its pages' CSP violations and script
    errors here; the test fails if there were any (checked after it ran, so a journey
    still says where it stopped first)."""
    found: list[str] = []
    open_context = browser.new_context

    def new_context(**options: Any) -> Any:
        context = open_context(**options)
        context.expose_binding("__cspViolation", lambda source, text: found.append(text))
        context.add_init_script(CSP_WATCH)
        context.on(
            "console",
            lambda message: (
                found.append(message.text)
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )
        context.on("weberror", lambda error: found.append(f"script error: {error.error}"))
        return context

    browser.new_context = new_context
    yield found
    browser.new_context = open_context
    assert found == [], "Content-Security-Policy violations or script errors on a page"


def _wait_for_the_server(django_db_blocker: Any) -> None:
    """The live server answers in threads of its own. A request the closed page left running
    (a redirect's target, a picture) still holds its tables when the test's teardown empties
    the database, and PostgreSQL resolves TRUNCATE against it as a deadlock, failing the next
    test too (seen once in CI on 2026-12-06). Waits, at most 10 s, until no other connection
    to the test database is busy."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return  # SQLite's writers wait for each other (busy timeout)
    deadline = time.monotonic() + 10
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)


# Both depend on the live server, so that they close their pages before it (and the
# database's flush) is torn down.
@pytest.fixture
def phone_page(browser: Any, live_server: Any, django_db_blocker: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    _wait_for_the_server(django_db_blocker)


@pytest.fixture
def desktop_page(browser: Any, live_server: Any, django_db_blocker: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    _wait_for_the_server(django_db_blocker)
