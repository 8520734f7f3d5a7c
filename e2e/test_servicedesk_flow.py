"""The service desk in a real browser: a partner asks for an MoU on the public form; the staff answer,
generate the draft and send it, take the request through its stages to signing, and the
service-time report counts it.

Elements are found by id and name, never by visible text. No clock is frozen: the live server
runs in a thread of this process, and every answer here comes within seconds, so each service
time is met whatever the hour.
"""

from __future__ import annotations

import io
import re

import pytest

from e2e.conftest import CHROMIUM, pick

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

from django.core import mail
from django.utils import timezone
from docx import Document
from playwright.sync_api import Page, expect

from simkerma.accounts.models import Role
from simkerma.accounts.tests.factories import UserFactory
from simkerma.agreements.models import Agreement
from simkerma.partners.tests.factories import PartnerFactory
from simkerma.servicedesk.models import DraftVersion, ServiceRequest, Stage

PASSWORD = "correct-horse-battery-42"
PARTNER_NAME = "PT Galangan Kapal Nusantara"
SCOPE = ["Program magang satu semester", "Dosen tamu dari praktisi", "Rekrutmen lulusan"]


@pytest.fixture(autouse=True)
def _templates_in_tmp(settings, tmp_path):
    settings.SIMKERMA_DRAFT_TEMPLATE_DIR = tmp_path / "draft-templates"


def log_in(page: Page, username: str) -> None:
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_username) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))


def submit_public_request(page: Page) -> str:
    """The partner's side: fill the public form; returns the tracking path."""
    page.goto("/layanan/ajukan/")
    page.check("input[name=who][value=mitra]")
    page.fill("#id_requester_name", "Rina Hartono")
    page.fill("#id_requester_position", "HR Manager")
    page.fill("#id_requester_organisation", PARTNER_NAME)
    page.fill("#id_requester_email", "rina@galangan.test")
    page.fill("#id_requester_whatsapp", "+62 812-7000-1234")
    page.fill("#id_partner_pic", "Budi Santoso")
    page.select_option("#id_kind", "draf_baru")
    page.select_option("#id_document_kind", "mou")
    page.fill("#id_subject", "Pengembangan sumber daya manusia")
    page.fill("#id_scope", "\n".join(SCOPE))
    page.click("#public-submit")
    expect(page.locator("#request-code")).to_be_visible()
    tracking = page.locator("#tracking-url").get_attribute("href")
    assert tracking and tracking.startswith("/layanan/lacak/")
    return tracking


def change_stage(page: Page, stage: str) -> None:
    page.select_option("#id_to_stage", stage)
    page.click("#stage-submit")
    expect(page.locator("#current-stage")).to_have_attribute("data-stage", stage)


@pytest.mark.e2e
def test_a_partner_request_goes_from_the_public_form_to_a_signed_agreement(page: Page, transactional_db, live_server):
    UserFactory(username="staf", role=Role.STAF, first_name="Dewi", last_name="Kerjasama")
    partner = PartnerFactory(name=PARTNER_NAME)

    tracking = submit_public_request(page)
    page.goto(tracking)
    expect(page.locator("#tracking-status")).to_have_attribute("data-stage", Stage.DITERIMA)
    request = ServiceRequest.objects.get()
    assert request.from_partner and request.channel == "web"

    # The staff find it in the queue and answer it.
    log_in(page, "staf")
    page.goto("/layanan/")
    page.locator(f"#queue-open tr[data-request='{request.pk}'] a").first.click()
    expect(page).to_have_url(re.compile(rf"/layanan/{request.pk}/$"))
    page.fill("#id_respond-note", "Terima kasih, draf MoU sedang kami siapkan.")
    page.click("#respond-submit")
    expect(page.locator("#clocks tr[data-clock=response_15m] [data-state]")).to_have_attribute("data-state", "met")
    change_stage(page, Stage.DIVERIFIKASI)

    # The draft: generated from the starter template, then sent by e-mail.
    page.click("#draft-create")
    expect(page.locator("#id_partner_name")).to_have_value(PARTNER_NAME)
    page.fill("#id_institution_signatory_name", "Dr. Direktur Polibatam")
    page.fill("#id_partner_signatory_name", "Rina Hartono")
    page.fill("#id_partner_signatory_position", "Direktur Utama")
    page.click("#draft-generate")
    expect(page.locator("#drafts tr[data-version='1']")).to_be_visible()
    draft = DraftVersion.objects.get()
    text = "\n".join(p.text for p in Document(io.BytesIO(draft.file.read())).paragraphs)
    assert PARTNER_NAME.upper() in text and f"1. {SCOPE[0]}" in text and draft.context["number"] in text
    change_stage(page, Stage.DRAF_DISUSUN)
    page.click("#draft-send-1")
    expect(page.locator("#id_to")).to_have_value("rina@galangan.test")
    page.click("#draft-send-submit")
    expect(page.locator("#clocks tr[data-clock=draft_1d] [data-state]")).to_have_attribute("data-state", "met")
    expect(page.locator("#clocks tr[data-clock=followup_1d] [data-state]")).to_have_attribute("data-state", "met")
    assert [m.to for m in mail.outbox if m.attachments] == [["rina@galangan.test"]]

    change_stage(page, Stage.REVIEW_INTERNAL)
    change_stage(page, Stage.NEGOSIASI_MITRA)

    # Signing: the agreement form comes prefilled; the staff pick the partner and the field.
    page.click("#sign-link")
    number = page.locator("#id_number").input_value()
    assert re.fullmatch(r"001/MOU\.PL29/[IVX]+/\d{4}", number)
    expect(page.locator("#id_title")).to_have_value(draft.context["title"])
    page.check("input[name=fields][value=pendidikan]")
    pick(page, "partners", "Galangan", partner.pk)
    page.click("#sign-submit")
    expect(page.locator("#current-stage")).to_have_attribute("data-stage", Stage.DITANDATANGANI)
    expect(page.locator("#agreement-link")).to_have_text(number)

    request.refresh_from_db()
    agreement = Agreement.objects.get(number=number)
    assert request.agreement == agreement and list(agreement.partners.all()) == [partner]
    assert agreement.scope_items == SCOPE
    assert set(agreement.signatories.values_list("name", flat=True)) == {"Dr. Direktur Polibatam", "Rina Hartono"}

    # The requester sees it signed; the report counts it in the year of its deadlines.
    page.goto(tracking)
    expect(page.locator("#tracking-status")).to_have_attribute("data-stage", Stage.DITANDATANGANI)
    for clock, due in (
        ("response_15m", request.response_due_at),
        ("draft_1d", request.draft_due_at),
        ("followup_1d", request.followup_due_at),
    ):
        page.goto(f"/layanan/laporan/?year={timezone.localtime(due).year}")
        row = page.locator(f"#report-totals tr[data-clock={clock}]")
        expect(row.locator("[data-key=met]")).to_have_text("1")
        expect(row.locator("[data-key=breached]")).to_have_text("0")
