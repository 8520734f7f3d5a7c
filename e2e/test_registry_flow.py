"""The registry flow in a real browser: Staf Kerjasama logs in, registers a partner, records an MoU
with it and an MoA under the MoU, then finds the MoA again through the list's filters.

Elements are found by id and name, never by visible text: the UI speaks Indonesian by default and
its translations change.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from e2e.conftest import CHROMIUM, pick

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

from playwright.sync_api import Page, expect

from simkerma.accounts.models import Role
from simkerma.accounts.tests.factories import UserFactory
from simkerma.agreements.models import Agreement, Kind
from simkerma.agreements.numbering import ROMAN_MONTHS
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.org.tests.factories import ProdiFactory, UnitFactory
from simkerma.partners.models import Partner
from simkerma.partners.tests.factories import PartnerFactory

PASSWORD = "correct-horse-battery-42"
PARTNER_NAME = "PT Galangan Kapal Nusantara"
MOU_START, MOU_END = dt.date(2025, 3, 10), dt.date(2030, 3, 9)
MOA_START, MOA_END = dt.date(2025, 5, 2), dt.date(2027, 5, 1)


def expected_number(code: str, on: dt.date) -> str:
    return f"001/{code}.PL29/{ROMAN_MONTHS[on.month - 1]}/{on.year}"


def log_in(page: Page, username: str) -> None:
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_username) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator(".usermenu .who")).to_be_visible()


def fill_agreement(page: Page, *, title: str, start: dt.date, end: dt.date, prodi_pk: int, partner: Partner) -> None:
    page.fill("#id_title", title)
    page.select_option("[name=level]", "nasional")
    page.check("input[name=fields][value=pendidikan]")
    page.fill("#id_start_date", start.isoformat())
    page.fill("#id_end_date", end.isoformat())
    page.check(f"input[name=prodi][value='{prodi_pk}']")
    pick(page, "partners", partner.name.split()[-1], partner.pk)


def result_rows(page: Page):
    return page.locator("#results table.agreements tbody tr")


@pytest.mark.e2e
def test_it_registers_a_partner_an_mou_and_an_moa_and_finds_the_moa(page: Page, transactional_db, live_server):
    staf = UserFactory(username="staf", role=Role.STAF)
    jurusan_if = UnitFactory(code="IF", name="Teknik Informatika")
    prodi_if = ProdiFactory(code="IF01", name="Teknik Informatika", level="D3", unit=jurusan_if)
    jurusan_mb = UnitFactory(code="MB", name="Manajemen dan Bisnis")
    ProdiFactory(code="MB01", name="Akuntansi", level="D3", unit=jurusan_mb)
    # Decoys the filters must leave out: an MoA of another partner and unit.
    other_mou = AgreementFactory(kind=Kind.MOU, number="900/MOU.PL29/I/2024", partners=[PartnerFactory()])
    AgreementFactory(
        kind=Kind.MOA, number="900/PKS.PL29/I/2024", parent=other_mou, partners=[PartnerFactory()], units=[jurusan_mb]
    )

    log_in(page, "staf")
    expect(page.locator(".usermenu .who")).to_contain_text(staf.get_full_name())

    # A partner, with one contact.
    page.goto("/mitra/baru/")
    page.fill("#id_name", PARTNER_NAME)
    page.select_option("[name=kind]", "industri")
    page.fill("#id_city", "Batam")
    page.fill("#id_email", "kerjasama@galangan.test")
    page.fill("#id_contacts-0-name", "Rina Marlina")
    page.fill("#id_contacts-0-position", "HR Manager")
    page.fill("#id_contacts-0-email", "rina@galangan.test")
    page.locator("form.stacked button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/mitra/\d+/$"))
    partner = Partner.objects.get(name=PARTNER_NAME)
    assert page.url.endswith(partner.get_absolute_url())
    assert re.fullmatch(r"M\d{5}", partner.code)
    assert partner.city == "Batam"
    assert list(partner.contacts.values_list("name", "position")) == [("Rina Marlina", "HR Manager")]
    expect(page.locator("h1")).to_contain_text(PARTNER_NAME)

    # An MoU with it, its number left to the office's scheme.
    page.goto("/dokumen/baru/")
    page.select_option("[name=kind]", Kind.MOU)
    fill_agreement(
        page,
        title="Pengembangan SDM galangan kapal",
        start=MOU_START,
        end=MOU_END,
        prodi_pk=prodi_if.pk,
        partner=partner,
    )
    expect(page.locator("#number-suggestion code")).to_have_text("001/MOU.PL29/III/2025")
    page.fill("#id_signatories-0-name", "Uuf Brajawidagda")
    page.select_option("#id_signatories-0-side", "institution")
    page.fill("#id_signatories-0-position", "Direktur")
    page.locator("#agreement-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/dokumen/\d+/$"))
    mou = Agreement.objects.get(title="Pengembangan SDM galangan kapal")
    assert mou.number == expected_number("MOU", MOU_START) == "001/MOU.PL29/III/2025"
    assert mou.kind == Kind.MOU
    assert mou.parent is None
    assert list(mou.partners.all()) == [partner]
    assert list(mou.prodi.all()) == [prodi_if]
    assert mou.created_by == staf
    assert list(mou.signatories.values_list("name", "side")) == [("Uuf Brajawidagda", "institution")]
    expect(page.locator("h1")).to_contain_text(mou.number)

    # An MoA under it, from the MoU's "add a child agreement" link.
    page.locator(f"a[href$='/dokumen/baru/?parent={mou.pk}']").click()
    expect(page.locator("[name=kind]")).to_have_value(Kind.MOA)
    expect(page.locator(f"#id_parent_chosen input[name=parent][value='{mou.pk}']")).to_have_count(1)
    fill_agreement(
        page,
        title="Magang mahasiswa Teknik Informatika",
        start=MOA_START,
        end=MOA_END,
        prodi_pk=prodi_if.pk,
        partner=partner,
    )
    expect(page.locator("#number-suggestion code")).to_have_text("001/PKS.PL29/V/2025")
    page.locator("#agreement-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/dokumen/\d+/$"))
    moa = Agreement.objects.get(title="Magang mahasiswa Teknik Informatika")
    assert moa.number == expected_number("PKS", MOA_START) == "001/PKS.PL29/V/2025"
    assert moa.kind == Kind.MOA
    assert moa.parent == mou
    assert list(moa.partners.all()) == [partner]
    assert page.url.endswith(moa.get_absolute_url())

    # Find the MoA through the list's filters; htmx swaps the results in place.
    page.goto("/dokumen/")
    expect(result_rows(page)).to_have_count(4)
    page.select_option("#id_kind", Kind.MOA)
    expect(result_rows(page)).to_have_count(2)
    page.fill("#id_partner", "Galangan")
    page.press("#id_partner", "Enter")
    expect(result_rows(page)).to_have_count(1)
    page.select_option("#id_unit", str(jurusan_if.pk))
    expect(page).to_have_url(re.compile(rf"[?&]unit={jurusan_if.pk}(&|$)"))
    expect(result_rows(page)).to_have_count(1)
    query = parse_qs(urlsplit(page.url).query)
    assert (query["kind"], query["partner"]) == (["moa"], ["Galangan"])
    row = result_rows(page).first
    expect(row).to_contain_text(PARTNER_NAME)
    expect(row).to_contain_text(mou.number)  # "under <MoU number>"
    row.locator(f"a[href='{moa.get_absolute_url()}']").click()

    # The MoA's page: its details and the MoU → MoA tree, with the MoA marked as the current one.
    expect(page).to_have_url(re.compile(rf"{re.escape(moa.get_absolute_url())}$"))
    expect(page.locator("h1")).to_contain_text(moa.number)
    expect(page.locator("dl.props")).to_contain_text(PARTNER_NAME)
    expect(page.locator("dl.props")).to_contain_text("IF01")
    root = page.locator("ul.tree > li")
    expect(root).to_have_count(1)
    expect(root.locator(":scope > a")).to_have_text(mou.number)
    expect(root.locator(":scope > a")).to_have_attribute("href", mou.get_absolute_url())
    child = root.locator(":scope > ul > li")
    expect(child).to_have_count(1)
    expect(child).to_have_attribute("aria-current", "true")
    expect(child.locator(":scope > a")).to_have_text(moa.number)


@pytest.mark.e2e
def test_it_warns_live_about_a_near_duplicate_partner(page: Page, transactional_db, live_server):
    UserFactory(username="staf", role=Role.STAF)
    existing = PartnerFactory(code="M00007", name="Batamindo, PT", city="Batam")
    PartnerFactory(code="M00008", name="Politeknik Negeri Batam")

    log_in(page, "staf")
    page.goto("/mitra/baru/")
    expect(page.locator("#similar .dupes")).to_have_count(0)
    page.locator("#id_name").press_sequentially("PT. Batamindo", delay=20)

    warning = page.locator("#similar .dupes")
    expect(warning).to_be_visible()
    expect(warning.locator("li")).to_have_count(1)
    expect(warning.locator(f"a[href='{existing.get_absolute_url()}']")).to_have_text("Batamindo, PT")
    expect(warning).to_contain_text("M00007")

    # Saving anyway is refused until the user confirms it is a different organisation.
    page.select_option("[name=kind]", "industri")
    page.locator("form.stacked button[type=submit]").click()
    expect(page.locator("#id_confirm_distinct")).to_be_visible()
    assert Partner.objects.filter(name="PT. Batamindo").count() == 0

    # A name unlike any partner clears the warning.
    page.locator("#id_name").fill("")
    page.locator("#id_name").press_sequentially("Bank Riau Kepri", delay=20)
    expect(page.locator("#similar .dupes")).to_have_count(0)
