"""The KPI dashboard in a real browser: the coverage figure opens the prodi list with the uncovered
prodi first, and a survey answered through its link changes aspect c (satisfaction) on the dashboard.

Elements are found by id and data attributes, never by visible text.
"""

from __future__ import annotations

import re

import pytest

from e2e.conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

from django.utils import timezone
from playwright.sync_api import Page, expect

from simkerma.accounts.models import Role
from simkerma.accounts.tests.factories import UserFactory
from simkerma.activities.models import ActivityStatus
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.core.models import Notice
from simkerma.evaluations.models import Evaluation
from simkerma.org.tests.factories import ProdiFactory, UnitFactory
from simkerma.partners.tests.factories import ContactFactory, PartnerFactory

pytestmark = pytest.mark.e2e
PASSWORD = "correct-horse-battery-42"
A4_WIDTH_PX = 794  # 210 mm at 96 px per inch
PHONE = {"width": 360, "height": 740}
SIDEWAYS = "document.documentElement.scrollWidth - window.innerWidth"


def log_in(page: Page, username: str) -> None:
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_username) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))


def carried_out_this_year():
    """An agreement of this year for IF with one activity carried out naming prodi IF01; MB01 has none."""
    today = timezone.localdate()
    jurusan_if, jurusan_mb = UnitFactory(code="IF"), UnitFactory(code="MB")
    covered = ProdiFactory(code="IF01", unit=jurusan_if)
    ProdiFactory(code="MB01", unit=jurusan_mb)
    partner = PartnerFactory(name="PT Galangan Kapal Nusantara")
    agreement = AgreementFactory(partners=[partner], units=[jurusan_if], start_date=today.replace(month=1, day=1))
    ActivityFactory(
        agreement=agreement,
        status=ActivityStatus.TERLAKSANA,
        start_date=today.replace(month=1, day=15),
        prodi=[covered],
    )
    return agreement, partner, today.year


def test_the_coverage_figure_opens_the_uncovered_prodi_first(page: Page, transactional_db):
    UserFactory(username="direktur", role=Role.PIMPINAN, password=PASSWORD)
    _agreement, _partner, year = carried_out_this_year()
    log_in(page, "direktur")
    page.click("#home-dashboard a")
    # Printed for the leadership meeting: no menu, and every chart within an A4 page's width.
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator("#dashboard-year")).to_be_hidden()
    for chart in page.locator("svg.chart").all():
        box = chart.bounding_box()
        assert box is not None and box["width"] <= A4_WIDTH_PX
    page.emulate_media(media="screen")
    page.click("#coverage-figure")
    expect(page).to_have_url(re.compile(rf"/kpi/cakupan-prodi/\?year={year}$"))
    first = page.locator("#coverage-prodi tbody tr").first
    expect(first).to_have_attribute("data-prodi", "MB01")
    expect(first).to_have_attribute("data-covered", "no")
    expect(page.locator("#coverage-prodi tr[data-prodi='IF01']")).to_have_attribute("data-covered", "yes")


def satisfaction_met(page: Page, year: int):
    page.goto(f"/kpi/?year={year}")
    return page.locator("#aspects-table tr[data-aspect='satisfaction'] td.num a")


def test_a_survey_answered_through_its_link_changes_aspect_c(page: Page, transactional_db, live_server):
    UserFactory(username="staf", role=Role.STAF, password=PASSWORD)
    agreement, partner, year = carried_out_this_year()
    contact = ContactFactory(partner=partner, name="Rina Hartono", email="rina@galangan.test")
    # Evaluated, but kepuasan and keberlanjutan are left for the partner's survey.
    Evaluation.objects.create(agreement=agreement, year=year, benefit=True, performance=True, effectiveness=3)

    log_in(page, "staf")
    expect(satisfaction_met(page, year)).to_have_text("0")

    page.goto(f"/evaluasi/dokumen/{agreement.pk}/?year={year}")
    page.click("#send-survey")
    page.check(f"input[name=contacts][value='{contact.pk}']")
    page.click("#send")
    notice = Notice.objects.get(kind="survey", email="rina@galangan.test")
    link = re.search(r"https?://\S+(/evaluasi/survei/\S+/)", notice.body).group(1)

    partner_page = page.context.browser.new_context(base_url=live_server.url, locale="id-ID").new_page()
    partner_page.goto(link)
    partner_page.check("input[name=satisfaction][value='4']")
    partner_page.check("input[name=communication][value='4']")
    partner_page.check("input[name=usefulness][value='4']")
    partner_page.check("input[name=intends_to_continue][value=true]")
    partner_page.click("#survey-submit")
    expect(partner_page.locator("#survey-thanks")).to_be_visible()
    partner_page.context.close()

    expect(satisfaction_met(page, year)).to_have_text("1")


def test_the_dashboard_and_the_public_page_fit_a_phone(page: Page, transactional_db):
    UserFactory(username="direktur", role=Role.PIMPINAN, password=PASSWORD)
    carried_out_this_year()
    page.set_viewport_size(PHONE)
    page.goto("/publik/")
    assert page.evaluate(SIDEWAYS) <= 0
    log_in(page, "direktur")
    for path in ("/kpi/", "/kpi/cakupan-prodi/", "/kpi/aspek/"):
        page.goto(path)
        assert page.evaluate(SIDEWAYS) <= 0, path
