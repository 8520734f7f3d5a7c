"""The layout in a real browser, on a laptop (1366 x 768) and on a phone (360 x 740).

The administrator (the widest menu) opens the main pages of the demo institution; no page may
scroll sideways as a whole: wide tables scroll inside their own box. The service queue's side
panels sit beside the list only where there is room for both, and stack under it otherwise.
One browser context per screen size, so the whole walk takes a few seconds.
"""

from __future__ import annotations

import re

import pytest

from e2e.conftest import ARTIFACTS, CHROMIUM, TIMEOUT_MS

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

from django.core.cache import cache
from playwright.sync_api import Page, expect

from simkerma.activities.models import Activity
from simkerma.agreements.models import Agreement
from simkerma.archive.tests.factories import ReportFactory
from simkerma.partners.models import Partner
from simkerma.partners.tests.factories import PartnerFactory
from simkerma.servicedesk.models import ServiceRequest
from simkerma.site.demo import DEMO_PASSWORD, load_demo

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}
# A name with no space to break at: a cell holding it must wrap it, not widen the page.
LONG_NAME = "PT Rekayasa" + "Infrastruktur" * 6 + " Kepulauan Riau"


def main_pages() -> list[tuple[str, str]]:
    """(name, path) of the pages walked; records are the demo's, plus a report and a long name."""
    partner = Partner.objects.get(name=LONG_NAME)
    agreement = Agreement.objects.order_by("pk").first()
    activity = Activity.objects.order_by("pk").first()
    service_request = ServiceRequest.objects.order_by("pk").first()
    assert agreement and activity and service_request
    report = ReportFactory(agreement=activity.agreement, activities=[activity])
    return [
        ("home", "/"),
        ("partner list", "/mitra/"),
        ("partner detail", partner.get_absolute_url()),
        ("partner form", "/mitra/baru/"),
        ("partner history", partner.get_absolute_url() + "riwayat/"),
        ("agreement list", "/dokumen/"),
        ("agreement detail", agreement.get_absolute_url()),
        ("agreement form", "/dokumen/baru/"),
        ("activity list", "/kegiatan/"),
        ("activity detail", activity.get_absolute_url()),
        ("calendar", "/kegiatan/kalender/"),
        ("calendar week", "/kegiatan/kalender/?view=week"),
        ("activity form", "/kegiatan/baru/"),
        ("my tasks", "/kegiatan/tugas/"),
        ("report list", "/arsip/"),
        ("report detail", report.get_absolute_url()),
        ("service queue", "/layanan/"),
        ("all requests", "/layanan/semua/"),
        ("service report", "/layanan/laporan/"),
        ("request detail", service_request.get_absolute_url()),
        ("request form", "/layanan/baru/"),
        ("agreement history", agreement.get_absolute_url() + "riwayat/"),
        ("notices", "/pemberitahuan/"),
        ("organisation", "/organisasi/"),
        ("public request form", "/layanan/ajukan/"),
        ("not found page", "/mitra/999999/"),
        ("POST-only address opened by a link", activity.get_absolute_url() + "status/"),
    ]


def log_in(page: Page) -> None:
    page.goto("/akun/masuk/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("form:has(#id_username) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))


def sideways_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the window (0 when it does not scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.fixture
def demo(transactional_db):
    load_demo()
    PartnerFactory(name=LONG_NAME, city="Tanjungpinang")


def walk(browser, live_server, viewport: dict[str, int], label: str) -> dict[str, int]:
    """Open every main page at this size; returns the pages that scroll sideways, by how much."""
    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, locale="id-ID", timezone_id="Asia/Jakarta"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        failures = {}
        for name, path in [("login page", "/akun/masuk/"), ("public request form, signed out", "/layanan/ajukan/")]:
            page.goto(path)
            if sideways_overflow(page) > 0:
                failures[name] = sideways_overflow(page)
        log_in(page)
        for name, path in main_pages():
            response = page.goto(path)
            assert response is not None
            if name == "not found page":
                assert response.status == 404
            elif name.startswith("POST-only"):
                assert response.status == 405
            else:
                assert response.status == 200, name
            # Every page, the error pages included, is drawn in the site's layout.
            expect(page.locator("header.topbar")).to_be_visible()
            overflow = sideways_overflow(page)
            if overflow > 0:
                failures[name] = overflow
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / f"layout-{label}-{name.replace(' ', '-')}.png"), full_page=True)
        return failures
    finally:
        context.close()


@pytest.mark.e2e
def test_no_main_page_scrolls_sideways_on_a_laptop(browser, live_server, demo):
    assert walk(browser, live_server, LAPTOP, "laptop") == {}


@pytest.mark.e2e
def test_no_main_page_scrolls_sideways_on_a_phone(browser, live_server, demo):
    assert walk(browser, live_server, PHONE, "phone") == {}


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).bounding_box()
    assert found is not None, selector
    return found


@pytest.mark.e2e
@pytest.mark.parametrize(("viewport", "beside"), [({"width": 1600, "height": 900}, True), (LAPTOP, False)])
def test_the_queue_side_panels_never_overlap_the_list(browser, live_server, demo, viewport, beside):
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="id-ID")
    page = context.new_page()
    try:
        log_in(page)
        page.goto("/layanan/")
        table, panel = box(page, "#queue-open"), box(page, "#due-soon")
        table_right = table["x"] + table["width"]
        if beside:
            assert panel["x"] >= table_right
            assert panel["y"] < table["y"] + table["height"]
        else:
            assert panel["y"] >= table["y"] + table["height"]
        assert sideways_overflow(page) == 0
    finally:
        context.close()


@pytest.mark.e2e
def test_the_similar_partner_warning_is_one_column(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, viewport=LAPTOP, locale="id-ID")
    page = context.new_page()
    try:
        log_in(page)
        page.goto("/mitra/baru/")
        page.fill("#id_name", "PT Contoh Elektronik")
        expect(page.locator("#similar .dupes")).to_be_visible()
        assert page.evaluate("getComputedStyle(document.getElementById('similar')).columnCount") == "auto"
        heading, names = box(page, "#similar .dupes strong"), box(page, "#similar .dupes ul")
        assert names["y"] > heading["y"]
        assert abs(names["x"] - heading["x"]) < 60
    finally:
        context.close()


@pytest.mark.e2e
@pytest.mark.parametrize("viewport", [LAPTOP, PHONE])
def test_the_too_many_requests_page_is_drawn_like_the_others(browser, live_server, demo, settings, viewport):
    settings.SIMKERMA_PUBLIC_VIEW_LIMIT = 1
    cache.clear()  # hits counted by the other tests' visits to the public form
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="id-ID")
    page = context.new_page()
    try:
        first = page.goto("/layanan/ajukan/")
        assert first is not None and first.status == 200
        second = page.goto("/layanan/ajukan/")
        assert second is not None and second.status == 429
        expect(page.locator("header.topbar")).to_be_visible()
        expect(page.locator("main.container .card")).to_be_visible()
        assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px"
        assert sideways_overflow(page) == 0
    finally:
        context.close()
