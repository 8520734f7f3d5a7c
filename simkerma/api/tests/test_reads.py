from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from simkerma.activities.models import ActivityStatus
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.models import Kind
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.core.choices import Field
from simkerma.core.dates import WIB
from simkerma.partners.models import Partner, PartnerCategory
from simkerma.partners.tests.factories import PartnerFactory
from simkerma.servicedesk.models import Stage
from simkerma.servicedesk.tests.factories import ServiceRequestFactory

API = "/api/v1"


@pytest.fixture
def reader(bearer, auditor):
    return bearer(auditor)


@pytest.fixture
def tree(jurusan_if, prodi_if, jurusan_mb):
    """An MoU with an MoA under it and an IA under the MoA, and an MoU of jurusan MB."""
    partner = PartnerFactory(code="BIC", name="PT Batamindo Investment Cakrawala", kind=Partner.Kind.INDUSTRI)
    mou = AgreementFactory(number="001/MOU.PL29/III/2025", kind=Kind.MOU, partners=[partner], units=[jurusan_if])
    moa = AgreementFactory(
        number="002/PKS.PL29/III/2025", kind=Kind.MOA, parent=mou, partners=[partner], prodi=[prodi_if]
    )
    ia = AgreementFactory(number="003/IA.PL29/IV/2025", kind=Kind.IA, parent=moa, partners=[partner])
    other = AgreementFactory(
        number="004/MOU.PL29/V/2024",
        start_date=dt.date(2024, 5, 1),
        end_date=dt.date(2024, 12, 31),
        units=[jurusan_mb],
        partners=[PartnerFactory(code="UNRI", name="Universitas Riau", kind=Partner.Kind.PERGURUAN_TINGGI)],
    )
    return {"partner": partner, "mou": mou, "moa": moa, "ia": ia, "other": other}


def test_it_lists_partners_with_their_values(reader, tree):
    response = reader.get(f"{API}/partners")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [row["code"] for row in body["results"]] == ["BIC", "UNRI"]
    first = body["results"][0]
    assert first["name"] == "PT Batamindo Investment Cakrawala"
    assert first["kind"] == "industri"
    assert first["country"] == "ID"
    assert first["agreement_count"] == 3


def test_it_filters_partners_as_the_page_does(reader, tree):
    assert [r["code"] for r in reader.get(f"{API}/partners?kind=perguruan_tinggi").json()["results"]] == ["UNRI"]
    assert [r["code"] for r in reader.get(f"{API}/partners?q=batamindo").json()["results"]] == ["BIC"]


def test_it_reads_a_partner_by_id_and_by_code(reader, tree):
    partner = tree["partner"]
    assert reader.get(f"{API}/partners/{partner.pk}").json()["code"] == "BIC"
    assert reader.get(f"{API}/partners/by-code?code=BIC").json()["id"] == partner.pk
    assert reader.get(f"{API}/partners/by-code?code=NOPE").status_code == 404
    missing = reader.get(f"{API}/partners/999999")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not found."}


def test_it_lists_agreements_with_their_tree_links(reader, tree):
    body = reader.get(f"{API}/agreements?sort=number").json()
    rows = {row["number"]: row for row in body["results"]}
    assert list(rows) == [
        "001/MOU.PL29/III/2025",
        "002/PKS.PL29/III/2025",
        "003/IA.PL29/IV/2025",
        "004/MOU.PL29/V/2024",
    ]
    mou, moa = rows["001/MOU.PL29/III/2025"], rows["002/PKS.PL29/III/2025"]
    assert mou["parent"] is None
    assert mou["children"] == [{"id": tree["moa"].pk, "number": "002/PKS.PL29/III/2025"}]
    assert moa["parent"] == {"id": tree["mou"].pk, "number": "001/MOU.PL29/III/2025"}
    assert moa["prodi"] == ["IF01"]
    assert mou["units"] == ["IF"]
    assert mou["partners"] == [{"id": tree["partner"].pk, "code": "BIC", "name": "PT Batamindo Investment Cakrawala"}]
    assert mou["status"] == tree["mou"].status
    assert rows["004/MOU.PL29/V/2024"]["status"] == "expired"


def test_it_filters_agreements_as_the_page_does(reader, tree):
    def numbers(query):
        response = reader.get(f"{API}/agreements?sort=number&{query}")
        assert response.status_code == 200, response.content
        return [row["number"] for row in response.json()["results"]]

    assert numbers("unit=MB") == ["004/MOU.PL29/V/2024"]
    assert numbers("prodi=IF01") == ["002/PKS.PL29/III/2025"]
    assert numbers("kind=ia") == ["003/IA.PL29/IV/2025"]
    assert numbers("status=expired") == ["004/MOU.PL29/V/2024"]
    assert numbers("year=2024") == ["004/MOU.PL29/V/2024"]
    assert numbers("partner=riau") == ["004/MOU.PL29/V/2024"]
    assert numbers("q=PKS") == ["002/PKS.PL29/III/2025"]


def test_it_finds_an_agreement_by_a_number_with_slashes(reader, tree):
    response = reader.get(f"{API}/agreements/by-number", {"number": " 002/pks.pl29/III/2025 "})
    assert response.json()["id"] == tree["moa"].pk
    assert reader.get(f"{API}/agreements/by-number", {"number": "999/X"}).status_code == 404


def test_it_gives_the_whole_tree_from_its_root(reader, tree):
    body = reader.get(f"{API}/agreements/{tree['ia'].pk}/tree").json()
    assert body["number"] == "001/MOU.PL29/III/2025"
    assert [child["number"] for child in body["children"]] == ["002/PKS.PL29/III/2025"]
    assert [grand["number"] for grand in body["children"][0]["children"]] == ["003/IA.PL29/IV/2025"]
    assert body["children"][0]["children"][0]["children"] == []
    assert body["partners"] == [{"id": tree["partner"].pk, "name": "PT Batamindo Investment Cakrawala"}]


def test_it_lists_activities_with_the_page_filters(reader, tree, jurusan_if, prodi_if):
    done = ActivityFactory(
        agreement=tree["moa"],
        code="KGT-2025-0001",
        status=ActivityStatus.TERLAKSANA,
        start_date=dt.date(2025, 5, 14),
        field=Field.PENELITIAN,
        units=[jurusan_if],
        prodi=[prodi_if],
    )
    planned = ActivityFactory(agreement=tree["other"], code="KGT-2024-0001", start_date=dt.date(2024, 6, 1))
    body = reader.get(f"{API}/activities").json()
    assert [row["code"] for row in body["results"]] == ["KGT-2025-0001", "KGT-2024-0001"]
    first = body["results"][0]
    assert first["agreement"] == {"id": tree["moa"].pk, "number": "002/PKS.PL29/III/2025"}
    assert first["units"] == ["IF"] and first["prodi"] == ["IF01"]
    assert first["status"] == "terlaksana" and first["field"] == "penelitian"

    def codes(query):
        response = reader.get(f"{API}/activities?{query}")
        assert response.status_code == 200, response.content
        return [row["code"] for row in response.json()["results"]]

    assert codes("year=2024") == ["KGT-2024-0001"]
    assert codes("status=terlaksana") == ["KGT-2025-0001"]
    assert codes(f"agreement={tree['other'].pk}") == ["KGT-2024-0001"]
    assert codes("unit=IF") == ["KGT-2025-0001"]
    assert reader.get(f"{API}/activities?unit=IF").json()["count"] == 1
    assert codes("field=pendidikan") == ["KGT-2024-0001"]
    assert reader.get(f"{API}/activities/by-code?code=KGT-2025-0001").json()["id"] == done.pk
    assert reader.get(f"{API}/activities/{planned.pk}").json()["code"] == "KGT-2024-0001"


def test_it_lists_service_requests_without_discarded_ones(reader, db):
    first = ServiceRequestFactory(code="LYN-2026-0001", received_at=dt.datetime(2026, 11, 23, 9, 0, tzinfo=WIB))
    ServiceRequestFactory(code="LYN-2026-0002", received_at=dt.datetime(2026, 11, 23, 10, 0, tzinfo=WIB))
    ServiceRequestFactory(code="LYN-2026-0003", discarded_at=timezone.now())
    body = reader.get(f"{API}/service-requests").json()
    assert [row["code"] for row in body["results"]] == ["LYN-2026-0002", "LYN-2026-0001"]
    detail = reader.get(f"{API}/service-requests/{first.pk}").json()
    assert detail["response_due_at"] == "2026-11-23T02:15:00Z"
    assert detail["stage"] == Stage.DITERIMA
    assert reader.get(f"{API}/service-requests/by-code?code=LYN-2026-0003").status_code == 404
    assert reader.get(f"{API}/service-requests?stage=ditolak").json()["count"] == 0
    assert reader.get(f"{API}/service-requests?order=next_due").json()["results"][0]["code"] == "LYN-2026-0001"


def test_it_gives_the_kpi_report_of_the_command(reader, tree, jurusan_if, prodi_if):
    ActivityFactory(
        agreement=tree["moa"], status=ActivityStatus.TERLAKSANA, start_date=dt.date(2025, 5, 14), prodi=[prodi_if]
    )
    out = io.StringIO()
    call_command("kpi", "--year", "2025", "--json", stdout=out)
    response = reader.get(f"{API}/kpi/2025")
    assert response.status_code == 200
    assert response.json() == json.loads(out.getvalue())
    assert response.json()["prodi_coverage"]["covered"] == 1


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/partners?kind=robot", ["query", "kind"]),
        ("/partners?limit=101", ["query", "limit"]),
        ("/partners?limit=0", ["query", "limit"]),
        ("/partners?offset=-1", ["query", "offset"]),
        ("/partners?q=" + "kata " * 11, ["query", "q"]),
        ("/partners?q=" + "x" * 201, ["query", "q"]),
        ("/agreements?year=1989", ["query", "year"]),
        ("/agreements?year=abc", ["query", "year"]),
        ("/agreements?unit=NOPE", ["query", "unit"]),
        ("/agreements?prodi=NOPE", ["query", "prodi"]),
        ("/agreements?sort=colour", ["query", "sort"]),
        ("/activities?agreement=0", ["query", "agreement"]),
        ("/activities?agreement=424242", ["query", "agreement"]),
        ("/activities?status=dreaming", ["query", "status"]),
        ("/service-requests?open_only=maybe", ["query", "open_only"]),
        ("/service-requests?order=random", ["query", "order"]),
        ("/kpi/1989", ["path", "year"]),
        ("/kpi/2101", ["path", "year"]),
        ("/partners/9223372036854775808", ["path", "partner_id"]),
        ("/agreements/by-number", ["query", "number"]),
    ],
)
def test_it_names_the_field_of_a_bad_parameter(reader, db, url, field):
    response = reader.get(API + url)
    assert response.status_code == 422, response.content
    assert field in [problem["loc"] for problem in response.json()["detail"]]


def test_it_pages_with_links_and_a_stable_order(reader, db):
    # Ties on the sort key (every agreement starts on the same day) are broken by id.
    made = AgreementFactory.create_batch(7, start_date=dt.date(2025, 1, 1))
    seen, url, pages = [], f"{API}/agreements?limit=3", 0
    while url:
        body = reader.get(url).json()
        assert body["count"] == 7
        seen += [row["id"] for row in body["results"]]
        url, pages = body["next"], pages + 1
    assert pages == 3
    assert seen == sorted(agreement.pk for agreement in made)
    second = reader.get(f"{API}/agreements?limit=3&offset=3").json()
    assert second["previous"] == "http://testserver/api/v1/agreements?limit=3&offset=0"
    assert second["next"] == "http://testserver/api/v1/agreements?limit=3&offset=6"
    assert reader.get(f"{API}/agreements?limit=3&offset=70").json()["results"] == []


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured), len(response.json()["results"])


def _make(kind, n, jurusan_if, prodi_if):
    if kind == "partners":
        # Every partner has its ministry category: read with the page, not one query per row.
        categories = list(PartnerCategory.objects.all())
        for i in range(n):
            AgreementFactory(partners=[PartnerFactory(ministry_category=categories[i % len(categories)])])
    elif kind == "agreements":
        parent = AgreementFactory()
        for _ in range(n):
            AgreementFactory(
                kind=Kind.MOA, parent=parent, units=[jurusan_if], prodi=[prodi_if], sdg_goals=["sdg4", "sdg17"]
            )
    elif kind == "activities":
        agreement = AgreementFactory()
        for _ in range(n):
            ActivityFactory(agreement=agreement, units=[jurusan_if], prodi=[prodi_if])
    else:
        ServiceRequestFactory.create_batch(n, partner=PartnerFactory())


# Per list: the token lookup, the count, the page, and one query per prefetched relation
# (an activity's units, prodi, funds per year and outputs used by the partner). The requests' total
# is the desk list's, cached under their data version (the tests' cache is in memory): after a
# write, the versions and the count; then the versions alone.
PINNED = {"partners": 3, "agreements": 7, "activities": 7, "service-requests": 4}
PINNED_WARM = {"service-requests": 3}


@pytest.mark.parametrize("kind", list(PINNED))
def test_it_pages_with_a_pinned_number_of_queries(bearer, auditor, jurusan_if, prodi_if, kind):
    client = bearer(auditor)
    client.get(f"{API}/partners")  # the token's first use writes last_used_at; later ones within the minute do not
    _make(kind, 3, jurusan_if, prodi_if)
    few = _queries(client, f"{API}/{kind}?limit=100")
    _make(kind, 57, jurusan_if, prodi_if)
    many = _queries(client, f"{API}/{kind}?limit=100")
    assert few[1] < many[1]
    assert few[0] == many[0] == PINNED[kind]
    again = _queries(client, f"{API}/{kind}?limit=100")
    assert again == (PINNED_WARM.get(kind, PINNED[kind]), many[1])


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/partners?q=a%00b", ["query", "q"]),
        ("/partners/by-code?code=%00", ["query", "code"]),
        ("/agreements?unit=I%00F", ["query", "unit"]),
        ("/agreements?partner=%00", ["query", "partner"]),
        ("/agreements/by-number?number=001%00", ["query", "number"]),
        ("/activities/by-code?code=%00", ["query", "code"]),
        ("/service-requests?q=%00", ["query", "q"]),
    ],
)
def test_it_refuses_text_with_a_nul_character(reader, db, url, field):
    """PostgreSQL cannot compare such text; it is a 422 before any query runs."""
    response = reader.get(API + url)
    assert response.status_code == 422, response.content
    assert field in [problem["loc"] for problem in response.json()["detail"]]


def test_it_gives_a_coordinator_what_the_pages_give_them(bearer, coordinator, client_for, tree):
    """Every role reads the whole registry (accounts.permissions.can_read), on the pages as here;
    a coordinator narrows the list to their unit with the page's unit filter."""
    client = bearer(coordinator)
    everything = client.get(f"{API}/agreements?sort=number").json()
    assert everything["count"] == 4
    own = client.get(f"{API}/agreements?sort=number&unit=IF").json()
    # The MoU names IF, the MoA names its prodi IF01.
    assert [row["number"] for row in own["results"]] == ["001/MOU.PL29/III/2025", "002/PKS.PL29/III/2025"]
    page = client_for(coordinator).get(f"/dokumen/?unit={coordinator.unit_id}&sort=number")
    assert [agreement.number for agreement in page.context["page_obj"]] == [row["number"] for row in own["results"]]
