"""The values the official reports need, as the API gives them: the partner's ministry category
(IKU), the agreement's SDG goals and the day it was reported to the ministry."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from simkerma.agreements.services import agreement_mark_reported
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.core.dates import WIB
from simkerma.partners.models import PartnerCategory
from simkerma.partners.tests.factories import PartnerFactory

API = "/api/v1"


@pytest.fixture
def reader(bearer, auditor):
    return bearer(auditor)


def test_it_gives_the_partners_ministry_category_by_its_code(reader, db):
    PartnerFactory(
        code="IBM", name="IBM Indonesia", ministry_category=PartnerCategory.objects.get(code="multinasional")
    )
    PartnerFactory(code="WRG", name="Warung Digital", ministry_category=PartnerCategory.objects.get(code="umkm"))
    PartnerFactory(code="NONE", name="Yayasan Tanpa Kategori")
    rows = {row["code"]: row["ministry_category"] for row in reader.get(f"{API}/partners").json()["results"]}
    assert rows == {"IBM": "multinasional", "WRG": "umkm", "NONE": None}


def test_it_gives_the_ministry_category_on_one_partner(reader, db):
    partner = PartnerFactory(code="RS", ministry_category=PartnerCategory.objects.get(code="rumah_sakit"))
    assert reader.get(f"{API}/partners/{partner.pk}").json()["ministry_category"] == "rumah_sakit"
    assert reader.get(f"{API}/partners/by-code?code=RS").json()["ministry_category"] == "rumah_sakit"


def test_it_gives_the_sdg_goals_as_numbers_in_order(reader, db):
    served = AgreementFactory(number="001/MOU.PL29/I/2025", sdg_goals=["sdg17", "sdg4", "sdg10"])
    AgreementFactory(number="002/MOU.PL29/I/2025")
    rows = {row["number"]: row["sdg_goals"] for row in reader.get(f"{API}/agreements").json()["results"]}
    assert rows == {"001/MOU.PL29/I/2025": [4, 10, 17], "002/MOU.PL29/I/2025": []}
    assert reader.get(f"{API}/agreements/{served.pk}").json()["sdg_goals"] == [4, 10, 17]


def test_it_gives_the_day_the_agreement_was_reported_to_the_ministry(reader, kapokja, db):
    reported = AgreementFactory(number="001/MOU.PL29/I/2025", signed_on=dt.date(2025, 1, 2))
    AgreementFactory(number="002/MOU.PL29/I/2025")
    with time_machine.travel(dt.datetime(2025, 7, 1, 9, 0, tzinfo=WIB), tick=False):
        agreement_mark_reported(agreement=reported, on=dt.date(2025, 6, 30), user=kapokja)
    rows = {row["number"]: row["ministry_reported_on"] for row in reader.get(f"{API}/agreements").json()["results"]}
    assert rows == {"001/MOU.PL29/I/2025": "2025-06-30", "002/MOU.PL29/I/2025": None}
    by_number = reader.get(f"{API}/agreements/by-number", {"number": "001/MOU.PL29/I/2025"}).json()
    assert by_number["ministry_reported_on"] == "2025-06-30"


def test_it_documents_the_new_values_in_the_schema(client, db):
    components = client.get(f"{API}/openapi.json").json()["components"]["schemas"]
    partner = components["PartnerOut"]["properties"]["ministry_category"]
    assert {option.get("type") for option in partner["anyOf"]} == {"string", "null"}
    agreement = components["AgreementOut"]["properties"]
    assert agreement["sdg_goals"]["items"] == {"type": "integer"}
    assert agreement["sdg_goals"]["examples"] == [[4, 17]]
    assert {option.get("format") for option in agreement["ministry_reported_on"]["anyOf"]} == {"date", None}
    assert {"ministry_category", "sdg_goals", "ministry_reported_on"} <= {
        *components["PartnerOut"]["required"],
        *components["AgreementOut"]["required"],
    }
