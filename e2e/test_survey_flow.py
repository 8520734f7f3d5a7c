"""The partner survey in a real browser: staff send it from the agreement's evaluation page, the
partner answers through the e-mailed link, the link then refuses a second answer, and the
agreement's page shows the response rate and the evaluation's satisfaction taken from the survey.

Elements are found by id and name, never by visible text.
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
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.core.models import Notice
from simkerma.evaluations.models import Evaluation, SurveyInvitation
from simkerma.evaluations.selectors import aspect_judgements
from simkerma.partners.tests.factories import ContactFactory, PartnerFactory

pytestmark = pytest.mark.e2e
PASSWORD = "correct-horse-battery-42"


def log_in(page: Page, username: str) -> None:
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_username) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_a_partner_answers_the_survey_through_its_link(page: Page, transactional_db, live_server):
    staff = UserFactory(username="staf", role=Role.STAF, password=PASSWORD)
    partner = PartnerFactory(name="PT Galangan Kapal Nusantara")
    contact = ContactFactory(partner=partner, name="Rina Hartono", email="rina@galangan.test")
    year = timezone.localdate().year
    agreement = AgreementFactory(partners=[partner], start_date=timezone.localdate().replace(month=1, day=1))
    Evaluation.objects.create(agreement=agreement, year=year, benefit=True, performance=True, effectiveness=3)
    assert aspect_judgements(year)[agreement.pk].kepuasan is None

    log_in(page, staff.username)
    page.goto(f"/evaluasi/dokumen/{agreement.pk}/?year={year}")
    page.click("#send-survey")
    page.check(f"input[name=contacts][value='{contact.pk}']")
    page.click("#send")
    expect(page.locator("#surveys .survey-rate")).to_contain_text("0")
    notice = Notice.objects.get(kind="survey", email="rina@galangan.test")
    link = re.search(r"https?://\S+(/evaluasi/survei/\S+/)", notice.body).group(1)

    partner_page = page.context.browser.new_context(base_url=live_server.url, locale="id-ID").new_page()
    partner_page.goto(link)
    partner_page.check("input[name=satisfaction][value='3']")
    partner_page.check("input[name=communication][value='4']")
    partner_page.check("input[name=usefulness][value='4']")
    partner_page.check("input[name=intends_to_continue][value=true]")
    partner_page.fill("textarea[name=comments]", "Kerja sama berjalan baik.")
    partner_page.click("#survey-submit")
    expect(partner_page.locator("#survey-thanks")).to_be_visible()

    response = partner_page.goto(link)
    assert response is not None and response.status == 410
    expect(partner_page.locator("#survey-refused")).to_have_attribute("data-problem", "used")
    partner_page.context.close()

    answer = SurveyInvitation.objects.get()
    assert (answer.satisfaction, answer.intends_to_continue, answer.comments) == (3, True, "Kerja sama berjalan baik.")
    judgement = aspect_judgements(year)[agreement.pk]
    assert (judgement.kepuasan, judgement.keberlanjutan, judgement.kepuasan_from_survey) == (3, True, True)

    page.goto(f"/evaluasi/dokumen/{agreement.pk}/")
    expect(page.locator(f".survey-rate[data-year='{year}']")).to_contain_text("1 dari 1")
