"""Playwright fixtures for the browser flows: one Chromium per session, a fresh context per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Long enough for a cold CI machine, short enough that a missing element fails the test quickly.
TIMEOUT_MS = 15_000
ARTIFACTS = Path(__file__).resolve().parent.parent / "var" / "e2e"


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, which Django's async-safety
    # check mistakes for async code calling the ORM. The tests only use the database synchronously;
    # the variable is set only while the browser is up, so the rest of the suite keeps the check.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def page(browser, live_server, request) -> Iterator:
    """A page in a fresh context (no cookies), with relative URLs resolved against the live server.

    JavaScript errors on any page fail the test; a failing test leaves a screenshot in var/e2e/.
    """
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(base_url=live_server.url, locale="id-ID", timezone_id="Asia/Jakarta")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    js_errors: list[str] = []
    page.on("pageerror", lambda error: js_errors.append(str(error)))
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    if js_errors:
        pytest.fail(f"JavaScript errors in the page: {js_errors}")


def pick(page, field: str, query: str, pk: int) -> None:
    """Type into a search-and-pick widget (templates/widgets/picker.html) and click the result with this id.

    The search box asks for results through htmx, which binds its listeners once the page has loaded;
    text typed before that would fire no request, so the page's load comes first.
    """
    from playwright.sync_api import expect

    page.wait_for_load_state("load")
    page.fill(f"#id_{field}", query)
    page.locator(f"#id_{field}_results [data-pick='{pk}']").click()
    expect(page.locator(f"#id_{field}_chosen input[type=hidden][name={field}][value='{pk}']")).to_have_count(1)
