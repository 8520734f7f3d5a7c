"""The scope table: kept current by every change through the services, equal to a rebuild from
scratch, and giving the same "counts for this unit" answers as the rule read from the relations."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Exists, OuterRef

from simkerma.activities.data import ActivityData
from simkerma.activities.models import Activity, ActivityProdiScope, ActivityStatus, ActivityUnitScope
from simkerma.activities.scope import computed_rows, rebuild_scope, refresh_scope, stored_rows
from simkerma.activities.services import activity_save, activity_transition
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.data import AgreementData
from simkerma.agreements.models import Agreement
from simkerma.agreements.services import agreement_save, agreement_terminate
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.org.models import Unit
from simkerma.org.tests.factories import ProdiFactory

pytestmark = pytest.mark.django_db
D = dt.date
S = ActivityStatus


def old_for_unit(unit_id: int):
    """The rule as read from the relations (the activity's links, else its agreement's)."""
    units = Activity.units.through.objects.filter(activity_id=OuterRef("pk"))
    prodi = Activity.prodi.through.objects.filter(activity_id=OuterRef("pk"))
    agreement_units = Agreement.units.through.objects.filter(agreement_id=OuterRef("agreement_id"))
    agreement_prodi = Agreement.prodi.through.objects.filter(agreement_id=OuterRef("agreement_id"))
    return Activity.objects.filter(
        Exists(units.filter(unit_id=unit_id))
        | Exists(prodi.filter(prodi__unit_id=unit_id))
        | (~Exists(units) & Exists(agreement_units.filter(unit_id=unit_id)))
        | (~Exists(prodi) & Exists(agreement_prodi.filter(prodi__unit_id=unit_id)))
    )


def agreement_data(agreement: Agreement, **changes) -> AgreementData:
    values = {
        "kind": agreement.kind,
        "number": agreement.number,
        "title": agreement.title,
        "parent": agreement.parent,
        "partners": list(agreement.partners.all()),
        "units": list(agreement.units.all()),
        "prodi": list(agreement.prodi.all()),
        "level": agreement.level,
        "fields": list(agreement.fields),
        "start_date": agreement.start_date,
        "end_date": agreement.end_date,
        "signed_on": agreement.signed_on,
    }
    return AgreementData(**(values | changes))


def activity_data(agreement: Agreement, **changes) -> ActivityData:
    values = {
        "agreement": agreement,
        "title": "Kuliah tamu",
        "kind": "kuliah_tamu",
        "field": "pendidikan",
        "start_date": D(2025, 5, 4),
    }
    return ActivityData(**(values | changes))


@pytest.fixture
def org(jurusan_if, jurusan_mb, p3m_unit, prodi_if, prodi_mb):
    return {
        "if": jurusan_if,
        "mb": jurusan_mb,
        "p3m": p3m_unit,
        "prodi_if": prodi_if,
        "prodi_mb": prodi_mb,
        "prodi_if2": ProdiFactory(code="IF02", unit=jurusan_if),
    }


def test_the_table_follows_every_change_made_through_the_services_and_equals_a_rebuild(org, staff, kapokja):
    agreement = AgreementFactory(start_date=D(2025, 1, 1), end_date=D(2027, 12, 31), level="nasional")
    agreement.units.set([org["p3m"]])
    agreement.prodi.set([org["prodi_if"]])
    other = AgreementFactory(start_date=D(2025, 1, 1), end_date=D(2026, 12, 31), level="internasional")
    inherits = activity_save(data=activity_data(agreement), user=staff).obj
    names_prodi = activity_save(data=activity_data(agreement, prodi=[org["prodi_mb"]]), user=staff).obj
    names_unit = activity_save(
        data=activity_data(agreement, units=[org["mb"]], start_date=D(2026, 2, 1)), user=staff
    ).obj

    assert stored_rows() == computed_rows()
    assert set(ActivityUnitScope.objects.filter(activity=inherits).values_list("unit_id", flat=True)) == {
        org["p3m"].pk,
        org["if"].pk,
    }

    # The agreement's units and prodi change: activities that inherit them follow.
    agreement_save(
        agreement=agreement, data=agreement_data(agreement, units=[org["mb"]], prodi=[org["prodi_if2"]]), user=staff
    )
    assert set(ActivityUnitScope.objects.filter(activity=inherits).values_list("unit_id", flat=True)) == {
        org["mb"].pk,
        org["if"].pk,
    }
    assert list(ActivityProdiScope.objects.filter(activity=inherits).values_list("prodi_id", flat=True)) == [
        org["prodi_if2"].pk
    ]
    assert stored_rows() == computed_rows()

    # A prodi added to an activity, an activity moved through the procedure, one cancelled.
    activity_save(
        activity=inherits, data=activity_data(agreement, prodi=[org["prodi_mb"], org["prodi_if"]]), user=staff
    )
    activity_transition(activity=names_prodi, to=S.DIKOORDINASIKAN, user=kapokja)
    activity_transition(activity=names_prodi, to=S.TERLAKSANA, user=staff)
    activity_transition(activity=names_unit, to=S.BATAL, user=staff, reason="Mitra mundur")
    assert ActivityUnitScope.objects.get(activity=names_prodi, unit=org["mb"]).counts is True
    assert stored_rows() == computed_rows()

    # The agreement ended early, before the carried-out activity started: it counts no longer.
    agreement_terminate(agreement=agreement, on=D(2025, 3, 1), reason="Mitra tutup", user=staff)
    assert ActivityUnitScope.objects.get(activity=names_prodi, unit=org["mb"]).counts is False
    assert stored_rows() == computed_rows()

    # The level and an activity moved to another agreement.
    agreement_save(agreement=other, data=agreement_data(other, level="wilayah"), user=staff)
    activity_save(activity=names_prodi, data=activity_data(other, prodi=[org["prodi_mb"]]), user=staff)
    assert set(ActivityUnitScope.objects.filter(activity=names_prodi).values_list("level", "counts")) == {
        ("wilayah", True)
    }
    assert stored_rows() == computed_rows()

    # A prodi moved to another jurusan.
    org["prodi_mb"].unit = org["if"]
    org["prodi_mb"].save()
    assert set(ActivityUnitScope.objects.filter(activity=names_prodi).values_list("unit_id", flat=True)) == {
        org["if"].pk
    }

    maintained = stored_rows()
    assert maintained == computed_rows()
    assert rebuild_scope() == len(maintained[0])
    assert stored_rows() == maintained


def test_an_activity_created_with_links_set_after_it_and_its_status_imported_is_current(org):
    agreement = AgreementFactory(start_date=D(2025, 1, 1), end_date=D(2027, 12, 31))
    agreement.prodi.set([org["prodi_if"]])
    activity = ActivityFactory(agreement=agreement, start_date=D(2025, 6, 1), status=S.TERLAKSANA)
    assert list(ActivityUnitScope.objects.values_list("unit_id", "counts")) == [(org["if"].pk, True)]

    activity.prodi.set([org["prodi_mb"]])  # the demo loader's and the workbook's way
    assert list(ActivityUnitScope.objects.values_list("unit_id", "counts")) == [(org["mb"].pk, True)]
    activity.units.add(org["p3m"])
    assert sorted(ActivityUnitScope.objects.values_list("unit_id", flat=True)) == sorted([org["mb"].pk, org["p3m"].pk])
    activity.prodi.clear()
    activity.units.clear()
    assert list(ActivityUnitScope.objects.values_list("unit_id", flat=True)) == [org["if"].pk]
    assert stored_rows() == computed_rows()


def test_a_bulk_insert_is_caught_up_by_refresh_scope_and_the_rebuild_command(org):
    agreement = AgreementFactory(start_date=D(2025, 1, 1), end_date=D(2027, 12, 31))
    agreement.units.set([org["p3m"]])
    made = Activity.objects.bulk_create(
        [
            Activity(agreement=agreement, code=f"B{n}", title="t", kind="rapat", field="pkm", start_date=D(2025, 2, n))
            for n in range(1, 4)
        ]
    )
    assert ActivityUnitScope.objects.count() == 0
    refresh_scope([made[0].pk])
    assert ActivityUnitScope.objects.count() == 1
    out = StringIO()
    call_command("rebuild_activity_scope", stdout=out)
    assert ActivityUnitScope.objects.count() == 3
    assert "3" in out.getvalue()
    assert stored_rows() == computed_rows()


def test_for_unit_reads_the_table_and_answers_as_the_rule_on_the_relations(org):
    """Inheritance both ways, a prodi of another jurusan, a P3M unit, an activity naming nothing
    under an agreement naming nothing, an inactive prodi (it still counts for its jurusan)."""
    inactive = ProdiFactory(code="IF99", unit=org["if"], active_until=2020)
    a_units = AgreementFactory()
    a_units.units.set([org["p3m"], org["if"]])
    a_prodi = AgreementFactory()
    a_prodi.prodi.set([org["prodi_mb"]])
    bare = AgreementFactory()
    cases = [
        ActivityFactory(agreement=a_units),  # inherits P3M and IF
        ActivityFactory(agreement=a_units, prodi=[org["prodi_mb"]]),  # inherits P3M and IF; prodi of MB
        ActivityFactory(agreement=a_prodi),  # inherits a prodi of MB
        ActivityFactory(agreement=a_prodi, units=[org["p3m"]]),  # P3M, and MB through the agreement's prodi
        ActivityFactory(agreement=a_prodi, prodi=[org["prodi_if"]]),  # own prodi replaces the agreement's
        ActivityFactory(agreement=bare),  # counts for nobody
        ActivityFactory(agreement=bare, prodi=[inactive]),
        ActivityFactory(agreement=bare, units=[org["if"]], prodi=[org["prodi_if"], org["prodi_if2"]]),  # once
    ]
    expected = {
        org["if"].pk: {cases[0], cases[1], cases[4], cases[6], cases[7]},
        org["mb"].pk: {cases[1], cases[2], cases[3]},
        org["p3m"].pk: {cases[0], cases[1], cases[3]},
    }
    for unit in Unit.objects.all():
        found = list(Activity.objects.for_unit(unit))
        assert len(found) == len(set(found))
        assert set(found) == expected.get(unit.pk, set())
        assert set(found) == set(old_for_unit(unit.pk))


def test_carried_out_in_a_year_for_a_unit_reads_the_table(org):
    agreement = AgreementFactory(start_date=D(2025, 1, 1), end_date=D(2025, 12, 31))
    agreement.prodi.set([org["prodi_if"]])
    counted = ActivityFactory(agreement=agreement, start_date=D(2025, 6, 1), status=S.DILAPORKAN)
    ActivityFactory(agreement=agreement, start_date=D(2025, 6, 1), status=S.DIKOORDINASIKAN)  # planned
    ActivityFactory(agreement=agreement, start_date=D(2026, 1, 5), status=S.TERLAKSANA)  # outside the agreement
    ActivityFactory(agreement=agreement, start_date=D(2025, 6, 1), status=S.TERLAKSANA, prodi=[org["prodi_mb"]])

    assert list(Activity.objects.carried_out_in(2025, unit=org["if"])) == [counted]
    assert Activity.objects.carried_out_in(2026, unit=org["if"]).count() == 0
    assert Activity.objects.carried_out_in(2025, unit=org["mb"]).count() == 1
    assert Activity.objects.carried_out_in(2025).count() == 2


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"status": "terlaksana"},
        {"field": "penelitian"},
        {"year": 2025},
        {"status": "rencana", "field": "pendidikan", "year": 2026},
        {"kind": "rapat"},
        {"q": "Kuliah"},
    ],
)
def test_the_list_count_for_a_unit_equals_the_lists_length(org, staff, filters):
    from simkerma.activities.selectors import ActivityFilters, activity_list, activity_list_count

    agreement = AgreementFactory(start_date=D(2025, 1, 1), end_date=D(2027, 12, 31))
    agreement.prodi.set([org["prodi_if"]])
    ActivityFactory(agreement=agreement, start_date=D(2025, 6, 1), status=S.TERLAKSANA)
    ActivityFactory(agreement=agreement, start_date=D(2026, 6, 1), field="penelitian")
    ActivityFactory(agreement=agreement, kind="rapat", units=[org["if"]], prodi=[org["prodi_if"]])
    ActivityFactory(agreement=agreement, prodi=[org["prodi_mb"]])
    ActivityFactory(agreement=AgreementFactory(), units=[org["mb"]])
    for unit in (org["if"], org["mb"], org["p3m"]):
        given = ActivityFilters(unit=unit, **filters)
        assert activity_list_count(user=staff, filters=given) == len(activity_list(user=staff, filters=given))
    given = ActivityFilters(unit=org["if"], **filters)
    expected = {(): 3, ("status",): 1, ("field",): 1, ("year",): 1, ("field", "status", "year"): 1}
    expected |= {("kind",): 1, ("q",): 3}
    assert activity_list_count(user=staff, filters=given) == expected[tuple(sorted(filters))]


def test_a_coordinator_sees_the_first_reports_to_write_of_their_unit_and_how_many(org, coordinator):
    from simkerma.activities.selectors import waiting_for

    agreement = AgreementFactory(start_date=D(2025, 1, 1), end_date=D(2027, 12, 31))
    agreement.prodi.set([org["prodi_if"]])
    done = [ActivityFactory(agreement=agreement, start_date=D(2025, 3, 9 - n), status=S.TERLAKSANA) for n in range(8)]
    ActivityFactory(agreement=agreement, start_date=D(2025, 1, 1), status=S.TERLAKSANA, prodi=[org["prodi_mb"]])
    ActivityFactory(agreement=agreement, start_date=D(2025, 1, 1), status=S.DILAPORKAN)

    waiting = waiting_for(coordinator, D(2026, 1, 1))
    assert waiting.reports_to_write.count == 8
    assert waiting.reports_to_write.items == sorted(done, key=lambda a: a.start_date)[:5]
