"""The main pages in a real browser under the Content Security Policy: staff, a coordinator and an
anonymous partner walk them and the browser reports no violation (no `securitypolicyviolation`
event and no console error naming the policy)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from e2e.conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

from django.urls import reverse
from playwright.sync_api import Page, expect

from simkerma.accounts.models import Role
from simkerma.accounts.tests.factories import UserFactory
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.archive.tests.factories import ReportFactory
from simkerma.core.choices import Field, Level
from simkerma.org.tests.factories import ProdiFactory, UnitFactory
from simkerma.partners.tests.factories import PartnerFactory
from simkerma.servicedesk.tests.factories import ServiceRequestFactory

pytestmark = pytest.mark.e2e
PASSWORD = "correct-horse-battery-42"
TS = 2025

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push([event.violatedDirective, event.blockedURI, event.sourceFile, event.lineNumber].join(" "));
});
"""
# Violation events are queued as tasks; one more task after load has seen them all.
COLLECTED = "() => new Promise((done) => setTimeout(() => done(window.__csp), 0))"


class Watch:
    """Every violation the page reports, by URL."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.found: list[str] = []
        page.add_init_script(LISTEN)
        page.on("console", self._console)

    def _console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.found.append(f"{self.page.url}: {message.text}")

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status == 200, url
        self.collect()

    def collect(self) -> None:
        self.page.wait_for_load_state("load")
        self.found.extend(f"{self.page.url}: {violation}" for violation in self.page.evaluate(COLLECTED))


def log_in(page: Page, username: str) -> None:
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_username) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))


def cooperation():
    jurusan = UnitFactory(code="IF", name="Teknik Informatika")
    prodi = ProdiFactory(code="IF01", name="Teknologi Rekayasa Perangkat Lunak", level="D4", unit=jurusan)
    partner = PartnerFactory(name="Batam Shipyard Ltd")
    agreement = AgreementFactory(
        level=Level.INTERNASIONAL,
        start_date=dt.date(2023, 1, 1),
        end_date=dt.date(2028, 12, 31),
        partners=[partner],
        prodi=[prodi],
    )
    activity = ActivityFactory(
        agreement=agreement,
        status="terlaksana",
        field=Field.PENDIDIKAN,
        title="Magang industri kapal",
        start_date=dt.date(TS, 2, 10),
        end_date=dt.date(TS, 2, 14),
        evidence="https://bukti.example.id/magang",
    )
    report = ReportFactory(agreement=agreement, activities=[activity])
    request = ServiceRequestFactory(partner=partner)
    return {
        "jurusan": jurusan,
        "prodi": prodi,
        "partner": partner,
        "agreement": agreement,
        "activity": activity,
        "report": report,
        "request": request,
    }


def staff_pages(data) -> list[str]:
    return [
        "/",
        reverse("notices"),
        reverse("partners:list"),
        reverse("partners:detail", args=[data["partner"].pk]),
        reverse("agreements:list") + "?q=batam",
        reverse("agreements:detail", args=[data["agreement"].pk]),
        reverse("agreements:create"),
        reverse("agreements:edit", args=[data["agreement"].pk]),
        reverse("activities:list"),
        reverse("activities:detail", args=[data["activity"].pk]),
        reverse("activities:create") + f"?agreement={data['agreement'].pk}",
        reverse("activities:calendar"),
        reverse("servicedesk:queue"),
        reverse("servicedesk:list"),
        reverse("servicedesk:detail", args=[data["request"].pk]),
        reverse("kpis:dashboard") + f"?year={TS}",
        reverse("kpis:coverage") + f"?year={TS}",
        reverse("reports:index"),
        reverse("archive:report_list"),
        reverse("archive:report_detail", args=[data["report"].pk]),
        reverse("imports:import"),
    ]


def preview_official_report(watch: Watch, prodi) -> None:
    page = watch.page
    watch.visit(reverse("reports:detail", args=["lkps_iaps4"]))
    page.select_option("#id_prodi", str(prodi.pk))
    page.fill("#id_year", str(TS))
    page.locator("#report-show").click()
    expect(page.locator("table[data-table='Tabel 1-1']")).to_be_visible()
    watch.collect()


def search_partners_with_htmx(watch: Watch) -> None:
    """The partner filter and the name check swap fragments in through htmx."""
    page = watch.page
    watch.visit(reverse("partners:list"))
    with page.expect_response(lambda response: "q=Batam" in response.url):
        page.fill("#id_q", "Batam")
    expect(page.locator("#results")).to_contain_text("Batam Shipyard Ltd")
    watch.collect()
    watch.visit(reverse("partners:create"))
    with page.expect_response(lambda response: reverse("partners:check_name") in response.url):
        page.fill("#id_name", "Batam Shipyard")
    watch.collect()


@pytest.mark.django_db(transaction=True)
def test_staff_walk_the_main_pages_without_a_policy_violation(page: Page):
    data = cooperation()
    UserFactory(username="staf", role=Role.STAF)
    watch = Watch(page)
    log_in(page, "staf")
    for url in staff_pages(data):
        watch.visit(url)
    preview_official_report(watch, data["prodi"])
    search_partners_with_htmx(watch)
    assert watch.found == []


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_walks_their_pages_without_a_policy_violation(page: Page):
    data = cooperation()
    UserFactory(username="koord.if", role=Role.KOORDINATOR, unit=data["jurusan"], prodi=data["prodi"])
    watch = Watch(page)
    log_in(page, "koord.if")
    for url in [
        "/",
        reverse("agreements:list"),
        reverse("agreements:detail", args=[data["agreement"].pk]),
        reverse("activities:list"),
        reverse("activities:detail", args=[data["activity"].pk]),
        reverse("activities:create") + f"?agreement={data['agreement'].pk}",
        reverse("kpis:dashboard") + f"?year={TS}",
    ]:
        watch.visit(url)
    preview_official_report(watch, data["prodi"])
    assert watch.found == []


@pytest.mark.django_db(transaction=True)
def test_a_partner_fills_the_public_form_and_tracks_without_a_policy_violation(page: Page):
    data = cooperation()
    watch = Watch(page)
    watch.visit(reverse("servicedesk:public_form"))
    watch.visit(reverse("servicedesk:track", args=[data["request"].token]))
    watch.visit(reverse("login"))
    assert watch.found == []


@pytest.mark.django_db(transaction=True)
def test_the_watch_sees_an_inline_script_the_policy_blocks(page: Page):
    watch = Watch(page)
    watch.visit(reverse("login"))
    page.evaluate("() => document.body.appendChild(document.createElement('script')).textContent = 'window.x = 1'")
    watch.collect()
    assert any("script-src" in violation for violation in watch.found), watch.found
