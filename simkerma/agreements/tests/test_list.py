"""The agreement list: every filter, sorting, paging, the htmx fragment and a flat query count."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from simkerma.agreements.models import Agreement, Kind
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.org.tests.factories import ProdiFactory, UnitFactory
from simkerma.partners.tests.factories import PartnerFactory

D = dt.date
WIB = ZoneInfo("Asia/Jakarta")
TODAY = dt.datetime(2025, 6, 15, 10, 0, tzinfo=WIB)
# Pinned: session, user, count, page, partners prefetch, the layout's demo check and unread-notice
# count, and the filter form's unit and prodi choices (9); a chosen unit and prodi are each looked
# up once more (11).
# The same with 5 rows as with 60.
LIST_MAX_QUERIES = 9
LIST_WITH_UNIT_MAX_QUERIES = 11


@pytest.fixture
def registry(jurusan_if, jurusan_mb, p3m_unit, prodi_if, prodi_mb):
    alpha = PartnerFactory(name="PT Alpha Teknologi")
    beta = PartnerFactory(name="Beta University")
    gamma = PartnerFactory(name="PT Gamma Logistik")
    dinas = PartnerFactory(name="Dinas Pendidikan Kota")
    a = AgreementFactory(
        kind=Kind.MOU,
        number="001/MOU.PL29/I/2024",
        title="Pengembangan kurikulum bersama",
        level="nasional",
        fields=["pendidikan", "penelitian"],
        units=[jurusan_if],
        prodi=[prodi_if],
        partners=[alpha],
        start_date=D(2024, 1, 1),
        end_date=D(2028, 12, 31),
    )  # active
    b = AgreementFactory(
        kind=Kind.MOA,
        number="002/PKS.PL29/II/2025",
        title="Pertukaran dosen",
        level="internasional",
        fields=["pkm"],
        prodi=[prodi_if],
        partners=[beta],
        parent=a,
        start_date=D(2025, 2, 1),
        end_date=D(2025, 8, 31),
    )  # expiring: 77 days left on 15 June
    c = AgreementFactory(
        kind=Kind.IA,
        number="003/IA.PL29/I/2022",
        title="Riset rantai pasok",
        level="wilayah",
        fields=["penelitian"],
        units=[jurusan_mb],
        prodi=[prodi_mb],
        partners=[gamma],
        start_date=D(2022, 1, 1),
        end_date=D(2023, 12, 31),
    )  # expired
    d = AgreementFactory(
        kind=Kind.MOU,
        number="004/MOU.PL29/IX/2025",
        title="Literasi digital sekolah",
        level="nasional",
        fields=["pkm"],
        units=[p3m_unit],
        partners=[dinas],
        start_date=D(2025, 9, 1),
        end_date=D(2027, 8, 31),
    )  # draft
    e = AgreementFactory(
        kind=Kind.MOA,
        number="005/PKS.PL29/I/2024",
        title="Magang akuntansi",
        level="nasional",
        fields=["pendidikan"],
        units=[jurusan_mb],
        partners=[alpha, gamma],
        start_date=D(2024, 1, 1),
        end_date=D(2026, 12, 31),
        terminated_on=D(2025, 3, 1),
    )  # terminated
    return {"A": a, "B": b, "C": c, "D": d, "E": e}


def listed(client, **params) -> list[str]:
    with time_machine.travel(TODAY, tick=False):
        response = client.get(reverse("agreements:list"), params)
    assert response.status_code == 200
    return [a.number for a in response.context["page_obj"].object_list]


def names(registry, keys: str) -> set[str]:
    return {registry[key].number for key in keys}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, "ABCDE"),
        ({"status": "active"}, "A"),
        ({"status": "expiring"}, "B"),
        ({"status": "expired"}, "C"),
        ({"status": "draft"}, "D"),
        ({"status": "terminated"}, "E"),
        ({"kind": "mou"}, "AD"),
        ({"kind": "moa"}, "BE"),
        ({"kind": "ia"}, "C"),
        ({"level": "internasional"}, "B"),
        ({"level": "wilayah"}, "C"),
        ({"level": "nasional"}, "ADE"),
        ({"field": "pendidikan"}, "AE"),
        ({"field": "penelitian"}, "AC"),
        ({"field": "pkm"}, "BD"),
        ({"year": "2022"}, "C"),
        ({"year": "2024"}, "AE"),
        ({"year": "2025"}, "ABDE"),
        ({"year": "2027"}, "AD"),
        ({"year": "2030"}, ""),
        ({"partner": "alpha"}, "AE"),
        ({"partner": "gamma"}, "CE"),
        ({"partner": "  Beta  "}, "B"),
        ({"partner": "tidak ada"}, ""),
        ({"q": "kurikulum"}, "A"),
        ({"q": "PKS.PL29"}, "BE"),
        ({"q": "gamma"}, "CE"),
        ({"q": "alpha magang"}, "E"),
        ({"kind": "mou", "field": "pkm"}, "D"),
        ({"status": "active", "partner": "alpha"}, "A"),
    ],
)
def test_it_filters_the_list(client_for, staff, registry, params, expected):
    numbers = listed(client_for(staff), **params)
    assert len(numbers) == len(set(numbers)), "no agreement may be listed twice"
    assert set(numbers) == names(registry, expected)


@pytest.mark.django_db
def test_it_filters_by_unit_directly_or_through_a_prodi_of_the_jurusan(
    client_for, staff, registry, jurusan_if, jurusan_mb, p3m_unit
):
    client = client_for(staff)
    assert sorted(listed(client, unit=jurusan_if.pk)) == sorted(names(registry, "AB"))  # B names only IF01
    assert sorted(listed(client, unit=jurusan_mb.pk)) == sorted(names(registry, "CE"))
    assert listed(client, unit=p3m_unit.pk) == [registry["D"].number]


@pytest.mark.django_db
def test_it_filters_by_prodi(client_for, staff, registry, prodi_if, prodi_mb):
    client = client_for(staff)
    assert sorted(listed(client, prodi=prodi_if.pk)) == sorted(names(registry, "AB"))
    assert listed(client, prodi=prodi_mb.pk) == [registry["C"].number]
    assert listed(client, prodi=ProdiFactory(code="XX01").pk) == []


@pytest.mark.django_db
def test_it_ignores_an_invalid_filter_and_reports_it(client_for, staff, registry):
    with time_machine.travel(TODAY, tick=False):
        response = client_for(staff).get(reverse("agreements:list"), {"status": "bogus", "year": "abc"})
    assert set(response.context["form"].errors) == {"status", "year"}
    assert len(response.context["page_obj"].object_list) == 5


@pytest.mark.django_db
def test_it_sorts_by_number_and_by_start(client_for, staff, registry):
    client = client_for(staff)
    by_number = [registry[k].number for k in "ABCDE"]
    assert listed(client, sort="number") == by_number
    assert listed(client, sort="-number") == by_number[::-1]
    # Default: newest start first; ties broken by pk.
    assert listed(client) == [registry[k].number for k in "DBAEC"]
    assert listed(client, sort="start") == [registry[k].number for k in "CAEBD"]
    assert listed(client, sort="end") == [registry[k].number for k in "CBEDA"]


@pytest.mark.django_db
def test_it_pages_by_25(client_for, staff):
    partner = PartnerFactory()
    for n in range(60):
        AgreementFactory(number=f"{n:03d}/MOU.PL29/I/2025", partners=[partner])
    client = client_for(staff)
    pages = [listed(client, sort="number", page=p) for p in (1, 2, 3)]
    assert [len(page) for page in pages] == [25, 25, 10]
    assert pages[0][0] == "000/MOU.PL29/I/2025"
    assert pages[2][-1] == "059/MOU.PL29/I/2025"
    assert len({n for page in pages for n in page}) == 60
    assert listed(client, sort="number", page=99) == pages[2]  # past the end: the last page
    response = client.get(reverse("agreements:list"), {"sort": "number", "page": 2})
    assert response.context["page_obj"].paginator.count == 60
    assert response.context["page_obj"].number == 2


@pytest.mark.django_db
def test_it_returns_only_the_results_fragment_to_htmx(client_for, staff, registry):
    client = client_for(staff)
    with time_machine.travel(TODAY, tick=False):
        fragment = client.get(reverse("agreements:list"), {"kind": "ia"}, HTTP_HX_REQUEST="true")
        full = client.get(reverse("agreements:list"), {"kind": "ia"})
    fragment_templates = [t.name for t in fragment.templates]
    assert fragment_templates[0] == "agreements/_list_results.html"
    assert "base.html" not in fragment_templates
    assert "agreements/agreement_list.html" not in fragment_templates
    assert [a.number for a in fragment.context["page_obj"]] == [registry["C"].number]
    assert [t.name for t in full.templates][:2] == ["agreements/agreement_list.html", "base.html"]
    assert "<html" not in fragment.content.decode()
    assert "<html" in full.content.decode()


def make_rows(count: int, units, prodi) -> None:
    """count MoAs under one MoU, each with three partners and the given units and prodi, in bulk."""
    parent = AgreementFactory(kind=Kind.MOU, number="PARENT-0", partners=[PartnerFactory()])
    partners = [PartnerFactory() for _ in range(3)]
    Agreement.objects.bulk_create(
        Agreement(
            kind=Kind.MOA,
            number=f"{n:03d}/PKS.PL29/I/2025",
            title=f"Kerja sama {n}",
            parent=parent,
            level="nasional",
            fields=["pendidikan", "pkm"],
            start_date=D(2025, 1, 1),
            end_date=D(2029, 12, 31),
        )
        for n in range(count)
    )
    rows = list(Agreement.objects.filter(parent=parent))
    for relation, targets in (("partners", partners), ("units", units), ("prodi", prodi)):
        through = getattr(Agreement, relation).through
        target_field = getattr(Agreement, relation).field.m2m_reverse_field_name()
        through.objects.bulk_create(
            through(agreement=row, **{target_field: target}) for row in rows for target in targets
        )


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [5, 60])
@pytest.mark.parametrize(
    "params",
    [{}, {"q": "PKS", "sort": "-number"}, {"status": "active", "field": "pkm", "year": "2026", "partner": "mitra"}],
    ids=["plain", "search", "filters"],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_it_lists_in_a_fixed_number_of_queries(
    client_for, staff, jurusan_if, jurusan_mb, prodi_if, prodi_mb, rows, params, htmx, django_assert_max_num_queries
):
    extra_prodi = [ProdiFactory(unit=jurusan_if), ProdiFactory(unit=UnitFactory())]
    make_rows(rows, units=[jurusan_if, jurusan_mb], prodi=[prodi_if, prodi_mb, *extra_prodi])
    client = client_for(staff)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    with time_machine.travel(TODAY, tick=False), django_assert_max_num_queries(LIST_MAX_QUERIES):
        response = client.get(reverse("agreements:list"), params, **headers)
    expected = rows + (0 if params else 1)  # unfiltered, the parent MoU is listed too
    assert response.context["page_obj"].paginator.count == expected
    assert len(response.context["page_obj"].object_list) == min(expected, 25)


@pytest.mark.django_db
def test_it_filters_by_unit_in_a_fixed_number_of_queries(
    client_for, staff, jurusan_if, prodi_if, django_assert_max_num_queries
):
    make_rows(40, units=[jurusan_if], prodi=[prodi_if])
    client = client_for(staff)
    with django_assert_max_num_queries(LIST_WITH_UNIT_MAX_QUERIES):
        response = client.get(reverse("agreements:list"), {"unit": jurusan_if.pk, "prodi": prodi_if.pk})
    assert response.context["page_obj"].paginator.count == 40
