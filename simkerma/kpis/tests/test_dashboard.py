"""The KPI dashboard and the pages behind its numbers, on hand-built data with hand-counted answers."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from simkerma.activities.models import ActivityStatus
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.core.choices import Field
from simkerma.core.dates import WIB
from simkerma.evaluations.tests.factories import EvaluationFactory
from simkerma.org.tests.factories import ProdiFactory, UnitFactory
from simkerma.servicedesk.tests.factories import ServiceRequestFactory

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=WIB)
D = dt.date
DONE = ActivityStatus.TERLAKSANA


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(jurusan_if, jurusan_mb, prodi_if, prodi_mb):
    """IF01 and IF02 covered in 2026, MB01 not; MB09 inactive since 2025. One agreement counted, not evaluated."""
    prodi_if2 = ProdiFactory(code="IF02", name="Rekayasa Perangkat Lunak", unit=jurusan_if)
    ProdiFactory(code="MB09", name="Tutup", unit=jurusan_mb, active_until=2025)
    agreement = AgreementFactory(
        number="001/MOU.PL29/I/2025",
        units=[jurusan_if],
        prodi=[prodi_if],
        start_date=D(2025, 1, 1),
        end_date=D(2029, 12, 31),
    )
    # Names no prodi: takes the agreement's (IF01), counts for IF in pendidikan.
    first = ActivityFactory(agreement=agreement, status=DONE, start_date=D(2026, 3, 1), field=Field.PENDIDIKAN)
    second = ActivityFactory(
        agreement=agreement, status=DONE, start_date=D(2026, 4, 1), field=Field.PENELITIAN, prodi=[prodi_if2]
    )
    # Planned: counts for nobody.
    ActivityFactory(agreement=agreement, start_date=D(2026, 5, 1), field=Field.PKM, prodi=[prodi_mb])
    return {"agreement": agreement, "first": first, "second": second, "if": jurusan_if, "mb": jurusan_mb}


def get(client, name="kpis:dashboard", args=(), **params):
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200
    return response.content.decode()


def cell(html, unit_code, field):
    row = re.search(rf'<tr data-unit="{unit_code}"[^>]*>(.*?)</tr>', html, re.S)
    assert row, unit_code
    found = re.search(rf'data-field="{field}"><a href="([^"]+)">(\d+)</a>', row.group(1))
    assert found, (unit_code, field)
    return found.group(1), int(found.group(2))


@pytest.mark.django_db
def test_it_shows_the_coverage_figure_linked_to_the_prodi_list(client_for, pimpinan, world):
    html = get(client_for(pimpinan), year=2026)
    link = re.search(r'<a id="coverage-figure" href="([^"]+)">([^<]+)</a>', html)
    assert link.group(1) == "/kpi/cakupan-prodi/?year=2026"
    # 2 of the 3 prodi active in 2026 (MB09 closed in 2025): 66.67 % against 80 + 5 = 85.
    assert re.findall(r"\d+", link.group(2)) == ["2", "3"]
    # Shown in the page's language: Indonesian writes a decimal comma.
    assert "66,67%" in html
    assert "85,00%" in html


@pytest.mark.django_db
def test_it_lists_the_uncovered_prodi_first_with_their_activity_counts(client_for, pimpinan, world):
    html = get(client_for(pimpinan), "kpis:coverage", year=2026)
    rows = re.findall(r'<tr data-prodi="([^"]+)" data-covered="(yes|no)"', html)
    assert rows == [("MB01", "no"), ("IF01", "yes"), ("IF02", "yes")]
    assert "MB09" not in html


@pytest.mark.django_db
def test_it_opens_a_prodi_s_activities_from_the_coverage_list(client_for, pimpinan, world, prodi_if):
    html = get(client_for(pimpinan), "kpis:prodi_activities", args=[prodi_if.pk], year=2026)
    assert re.findall(r'data-activity="(\d+)"', html) == [str(world["first"].pk)]


@pytest.mark.django_db
def test_it_counts_each_unit_and_field_and_links_the_cell_to_its_activities(client_for, pimpinan, world):
    client = client_for(pimpinan)
    html = get(client, year=2026)
    href, count = cell(html, "IF", "pendidikan")
    assert count == 1
    assert href == reverse("kpis:unit_field", args=[world["if"].pk, "pendidikan"]) + "?year=2026"
    assert cell(html, "IF", "penelitian")[1] == 1
    assert cell(html, "IF", "pkm")[1] == 0
    assert cell(html, "MB", "pkm")[1] == 0  # the planned activity counts for nobody
    cell_page = client.get(href).content.decode()
    assert re.findall(r'data-activity="(\d+)"', cell_page) == [str(world["first"].pk)]
    research = get(client, "kpis:unit_field", args=[world["if"].pk, "penelitian"], year=2026)
    assert re.findall(r'data-activity="(\d+)"', research) == [str(world["second"].pk)]


@pytest.mark.django_db
def test_it_puts_the_coordinator_s_own_unit_first(client_for, pimpinan, other_coordinator, world):
    order = lambda html: re.findall(r'<tr data-unit="([^"]+)"', html)  # noqa: E731
    assert order(get(client_for(pimpinan), year=2026))[:2] == ["IF", "MB"]
    assert order(get(client_for(other_coordinator), year=2026))[:2] == ["MB", "IF"]


@pytest.mark.django_db
def test_it_shows_the_aspects_and_lists_the_agreement_not_evaluated(client_for, pimpinan, world):
    client = client_for(pimpinan)
    html = get(client, year=2026)
    benefit = r'data-aspect="benefit"><td>[^<]*</td><td class="num"><a href="/kpi/aspek/\?year=2026">0</a>'
    assert re.search(benefit, html)
    aspects = get(client, "kpis:aspects", year=2026)
    assert 'id="not-evaluated"' in aspects
    assert 'data-agreement="001/MOU.PL29/I/2025"' in aspects
    EvaluationFactory(
        agreement=world["agreement"], year=2026, benefit=True, performance=False, kepuasan=4, keberlanjutan=True
    )
    html = get(client, year=2026)
    met = dict(re.findall(r'data-aspect="(\w+)"><td>[^<]*</td><td class="num"><a [^>]+>(\d+)</a>', html))
    assert met == {"benefit": "1", "performance": "0", "satisfaction": "1"}


@pytest.mark.django_db
def test_it_charts_service_time_compliance_by_month(client_for, pimpinan, world):
    request = ServiceRequestFactory(received_at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=WIB))
    request.responded_at = dt.datetime(2026, 3, 2, 9, 5, tzinfo=WIB)
    request.save()
    html = get(client_for(pimpinan), year=2026)
    march = re.search(r'<tr data-month="3">(.*?)</tr>', html, re.S).group(1)
    # Columns a (draft), b (first response), c (follow-up): only b has a request, met.
    cells = re.findall(r'<td class="num">([^<]*)<small', march)
    assert [c.strip() for c in cells] == ["–", "100,00%", "–"]
    assert '<svg class="chart"' in html and html.count('<svg class="chart"') == 2


@pytest.mark.django_db
def test_it_draws_a_unit_named_script_as_text(client_for, pimpinan, world):
    UnitFactory(code="XSS", name="<script>alert(1)</script>")
    html = get(client_for(pimpinan), year=2026)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_it_shows_zeros_and_empty_percents_for_a_year_without_data(client_for, pimpinan):
    html = get(client_for(pimpinan), year=2001)
    assert "<h1>" in html and "2001" in html
    assert 'href="/kpi/cakupan-prodi/?year=2001"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "1800", "99999", ""])
def test_it_falls_back_to_this_year_for_a_bad_year(client_for, pimpinan, value):
    html = get(client_for(pimpinan), year=value)
    assert 'href="/kpi/cakupan-prodi/?year=2026"' in html


@pytest.mark.django_db
def test_it_has_print_styles_for_an_a4_pdf(client_for, pimpinan):
    from django.contrib.staticfiles import finders

    html = get(client_for(pimpinan))
    assert "kpis/dashboard.css" in html
    with open(finders.find("kpis/dashboard.css"), encoding="utf-8") as file:
        css = file.read()
    assert "@media print" in css and "size: A4" in css and ".topbar" in css and "break-before: page" in css


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,args", [("kpis:dashboard", ()), ("kpis:coverage", ()), ("kpis:aspects", ()), ("kpis:unit_field", (1, "pkm"))]
)
def test_it_refuses_an_account_without_a_role(client_for, outsider, name, args):
    assert client_for(outsider).get(reverse(name, args=args)).status_code == 403


@pytest.mark.django_db
def test_it_sends_a_visitor_to_the_login_page(client):
    response = client.get(reverse("kpis:dashboard"))
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


@pytest.mark.django_db
def test_it_refuses_an_unknown_field(client_for, pimpinan, jurusan_if):
    assert client_for(pimpinan).get(reverse("kpis:unit_field", args=[jurusan_if.pk, "olahraga"])).status_code == 404


def _grow(count, units):
    for index in range(count):
        unit = UnitFactory(code=f"J{index:02d}")
        prodi = ProdiFactory(code=f"J{index:02d}P", unit=unit)
        agreement = AgreementFactory(units=[unit], prodi=[prodi], start_date=D(2025, 1, 1), end_date=D(2026, 8, 1))
        ActivityFactory(agreement=agreement, status=DONE, start_date=D(2026, 2, 1))
        EvaluationFactory(agreement=agreement, year=2026)
        ServiceRequestFactory(received_at=dt.datetime(2026, 2, 2, 9, 0, tzinfo=WIB))


# Session, user, notices badge, demo banner; coverage trend (its versions and 1), the year's stored
# figures (their versions, coverage 1, unit fields 2, aspects 3), the months (their version and 1),
# the matrix's units (1), the expiring agreements and their partners (2). The first request after a
# write: the figures are computed (test_cache pins the cached request).
DASHBOARD_QUERIES = 18


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 12])
def test_it_takes_the_same_few_queries_with_few_or_many_rows(
    client_for, pimpinan, world, count, django_assert_num_queries
):
    _grow(count, world)
    client = client_for(pimpinan)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        get(client, year=2026)
    assert DASHBOARD_QUERIES <= 20


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 12])
def test_it_takes_the_same_queries_on_the_drill_down_pages(
    client_for, pimpinan, world, count, django_assert_num_queries
):
    _grow(count, world)
    client = client_for(pimpinan)
    with django_assert_num_queries(COVERAGE_QUERIES):
        get(client, "kpis:coverage", year=2026)
    with django_assert_num_queries(ASPECT_QUERIES):
        get(client, "kpis:aspects", year=2026)
    with django_assert_num_queries(CELL_QUERIES):
        get(client, "kpis:unit_field", args=[world["if"].pk, "pendidikan"], year=2026)


# Session, user, notices badge, demo banner, then the page's own reads.
COVERAGE_QUERIES = 4 + 1
ASPECT_QUERIES = 4 + 5  # the versions, the ordered ids (cached), the page's agreements, evaluations, surveys
CELL_QUERIES = 4 + 3  # the unit, the count, the page


@pytest.mark.django_db
def test_it_shows_the_figures_of_the_kpi_report(client_for, pimpinan, world):
    from simkerma.kpis.engine import kpi_report

    ServiceRequestFactory(received_at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=WIB))  # breached: never answered
    answered = ServiceRequestFactory(received_at=dt.datetime(2026, 5, 4, 9, 0, tzinfo=WIB))
    answered.responded_at = dt.datetime(2026, 5, 4, 9, 10, tzinfo=WIB)
    answered.save()
    response = client_for(pimpinan).get(reverse("kpis:dashboard"), {"year": 2026})
    report = kpi_report(2026)
    shown = {letter: counts for letter, _clock, counts in response.context["service"]["totals"]}
    assert {key: shown["b"][key] for key in ("met", "breached", "pending")} == {"met": 1, "breached": 1, "pending": 0}
    for letter, key in (("a", "draft_1d"), ("b", "response_15m"), ("c", "followup_1d")):
        expected = report["service_times"][key]
        assert {k: shown[letter][k] for k in ("met", "breached", "pending")} == {
            k: expected[k] for k in ("met", "breached", "pending")
        }
        assert (None if shown[letter]["percent"] is None else float(shown[letter]["percent"])) == expected["percent"]
    coverage = response.context["coverage"]
    assert {k: coverage[k] for k in ("active", "covered", "percent", "target", "met")} == {
        k: report["prodi_coverage"][k] for k in ("active", "covered", "percent", "target", "met")
    }
    assert response.context["aspects"] == report["aspects"]


@pytest.mark.django_db
def test_it_pages_the_counted_agreements_the_not_evaluated_first(client_for, pimpinan, world, settings):
    settings.SIMKERMA_PAGE_SIZE = 2
    _grow(3, world)  # three more counted agreements, each evaluated
    client = client_for(pimpinan)
    first = re.findall(r'<tr data-agreement="([^"]+)"', get(client, "kpis:aspects", year=2026))
    second = re.findall(r'<tr data-agreement="([^"]+)"', get(client, "kpis:aspects", year=2026, page=2))
    assert len(first) == 2 and len(second) == 2
    assert first[0] == "001/MOU.PL29/I/2025"  # the one not evaluated
    assert not set(first) & set(second)
