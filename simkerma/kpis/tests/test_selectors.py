"""The drill-down behind the KPI figures, on the hand-built data of data.py."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator

from simkerma.core.choices import Field
from simkerma.kpis import selectors
from simkerma.kpis.tests import data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return data.build_all()


def test_coverage_lists_every_active_prodi_uncovered_first(world, auditor):
    rows = [(prodi.code, prodi.activity_count) for prodi in selectors.coverage_prodi(2025, user=auditor)]
    # IF01: K1 and K8 (both inherit it from 001; K2 names IF02); IF03: K5; MB02: K4. IF02 is not active yet.
    assert rows == [("MB01", 0), ("IF01", 2), ("IF03", 1), ("MB02", 1)]


def test_coverage_of_2026_counts_the_prodi_active_then(world, pimpinan):
    rows = [(prodi.code, prodi.activity_count) for prodi in selectors.coverage_prodi(2026, user=pimpinan)]
    assert rows == [("IF01", 0), ("MB01", 0), ("MB02", 0), ("IF02", 1)]


def test_a_cell_opens_the_activities_behind_it(world, staff):
    codes = lambda unit, field, year=2025: [  # noqa: E731
        a.code for a in selectors.unit_field_activities(user=staff, unit=world[unit], field=field, year=year)
    ]
    assert codes("IF", Field.PENELITIAN) == ["K2", "K5"]
    assert codes("IF", Field.PKM) == ["K8"]
    assert codes("P3M", Field.PKM) == ["K8"]  # not K3 (cancelled), K6 (ended), K7 (too early), K9 (planned)
    assert codes("MB", Field.PENDIDIKAN) == ["K4"]
    assert codes("MB", Field.PENELITIAN) == []
    assert codes("IF", Field.PENDIDIKAN, 2026) == ["K11"]


def test_the_cells_add_up_to_the_report(world, staff):
    from simkerma.kpis.engine import unit_fields

    for code, entry in unit_fields(2025).items():
        for field in Field.values:
            activities = selectors.unit_field_activities(user=staff, unit=world[code].pk, field=field, year=2025)
            assert activities.count() == entry[field]


def test_aspect_rows_list_the_counted_agreements_not_evaluated_first(world, kapokja):
    rows = selectors.aspect_rows(2025, user=kapokja)
    assert [
        (
            row.agreement.number,
            row.evaluated,
            row.met.benefit,
            row.met.performance,
            row.met.satisfaction,
            row.led_score,
        )
        for row in rows
    ] == [
        ("MoA-2025-002", False, False, False, False, 1),
        ("MoA-2025-001", True, True, True, True, 4),
        ("MoU-2024-003", True, True, False, True, 2),
    ]
    survey_based = rows[2].judgement
    assert survey_based is not None
    assert (survey_based.kepuasan, survey_based.kepuasan_from_survey) == (3, True)


def test_every_role_reads_and_an_account_without_a_role_is_refused(world, coordinator, outsider):
    assert len(selectors.aspect_rows(2025, user=coordinator)) == 3
    with pytest.raises(PermissionDenied):
        selectors.coverage_prodi(2025, user=outsider)
    with pytest.raises(PermissionDenied):
        selectors.unit_field_activities(user=outsider, unit=world["IF"], field=Field.PKM, year=2025)
    with pytest.raises(PermissionDenied):
        selectors.aspect_rows(2025, user=outsider)


def test_the_drill_down_takes_a_fixed_number_of_queries(world, staff, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(selectors.coverage_prodi(2025, user=staff))
    with django_assert_num_queries(1):
        list(selectors.unit_field_activities(user=staff, unit=world["P3M"], field=Field.PENELITIAN, year=2025))
    # The versions and the ordered ids (cached under them), the agreements, evaluations, surveys.
    with django_assert_num_queries(5):
        list(selectors.aspect_rows(2025, user=staff))
    # A page, the order now cached: the versions, its own agreements, evaluations, surveys.
    with django_assert_num_queries(4):
        page = Paginator(selectors.aspect_rows(2025, user=staff), 2).get_page(2)
        assert [row.agreement.number for row in page] == ["MoU-2024-003"]
    data.build_agreements_many(world, 20)
    with django_assert_num_queries(1):
        assert len(list(selectors.coverage_prodi(2025, user=staff))) == 24
    with django_assert_num_queries(1):
        cell = selectors.unit_field_activities(user=staff, unit=world["P3M"], field=Field.PENELITIAN, year=2025)
        assert len(cell) == 21
    with django_assert_num_queries(5):
        assert len(list(selectors.aspect_rows(2025, user=staff))) == 23
    with django_assert_num_queries(4):
        page = Paginator(selectors.aspect_rows(2025, user=staff), 2).get_page(2)
        assert len(page) == 2 and page.paginator.count == 23


def test_aspect_rows_read_a_page_in_the_same_order_as_the_whole_list(world, staff):
    data.build_agreements_many(world, 5)
    rows = selectors.aspect_rows(2025, user=staff)
    everything = [(row.agreement.number, row.evaluated, row.led_score) for row in rows]
    assert len(everything) == len(rows) == 8
    assert [evaluated for _number, evaluated, _score in everything] == sorted(e for _n, e, _s in everything)
    paged = [(row.agreement.number, row.evaluated, row.led_score) for row in rows[0:3] + rows[3:8]]
    assert paged == everything
    assert (rows[-1].agreement.number, rows[0].agreement.number) == (everything[-1][0], everything[0][0])


def test_aspect_rows_follow_an_evaluation_written_after_they_were_cached(world, staff):
    from simkerma.agreements.models import Agreement
    from simkerma.evaluations.models import Evaluation

    before = [(row.agreement.number, row.evaluated) for row in selectors.aspect_rows(2025, user=staff)]
    assert before[0] == ("MoA-2025-002", False)
    agreement = Agreement.objects.get(number="MoA-2025-002")
    Evaluation.objects.create(
        agreement=agreement, year=2025, benefit=True, performance=True, kepuasan=4, keberlanjutan=True
    )
    after = [(row.agreement.number, row.evaluated) for row in selectors.aspect_rows(2025, user=staff)]
    assert after == [("MoA-2025-001", True), ("MoA-2025-002", True), ("MoU-2024-003", True)]
