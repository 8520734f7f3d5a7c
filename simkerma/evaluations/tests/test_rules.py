import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.evaluations.data import EvaluationData, MonitoringRecordData
from simkerma.evaluations.models import Evaluation, MonitoringRecord, MonitoringStatus, quarter_dates
from simkerma.evaluations.services import evaluation_save, monitoring_record_save
from simkerma.evaluations.tests.factories import EvaluationFactory, MonitoringRecordFactory

pytestmark = pytest.mark.django_db


def _record_data(agreement, year, quarter):
    return MonitoringRecordData(
        agreement=agreement,
        year=year,
        quarter=quarter,
        activity_title="Magang industri",
        status=MonitoringStatus.DONE,
        monitored_on=dt.date(year, 12, 31),
        benefit="Mahasiswa magang",
        evidence="Laporan magang",
        pic="Bu Rina",
    )


def test_it_knows_the_quarters():
    assert quarter_dates(2025, 1) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert quarter_dates(2025, 4) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))


@pytest.mark.parametrize(
    ("year", "quarter", "ok"),
    [(2025, 1, False), (2025, 2, True), (2026, 4, True), (2027, 1, False), (2024, 4, False)],
)
def test_it_refuses_a_period_outside_the_agreements_life_through_full_clean(year, quarter, ok):
    agreement = AgreementFactory(start_date=dt.date(2025, 6, 30), end_date=dt.date(2026, 12, 31))
    record = MonitoringRecordFactory.build(agreement=agreement, year=year, quarter=quarter)
    if ok:
        record.full_clean()
    else:
        with pytest.raises(ValidationError) as refused:
            record.full_clean()
        assert list(refused.value.message_dict) == ["quarter"]


def test_it_counts_an_early_termination_as_the_end_of_life(staff):
    agreement = AgreementFactory(start_date=dt.date(2025, 1, 1), end_date=dt.date(2029, 12, 31))
    agreement.terminated_on = dt.date(2025, 7, 1)
    agreement.save()
    monitoring_record_save(data=_record_data(agreement, 2025, 2), user=staff)  # up to 30 June: still valid
    with pytest.raises(ValidationError) as refused:
        monitoring_record_save(data=_record_data(agreement, 2025, 3), user=staff)
    assert "quarter" in refused.value.message_dict
    assert MonitoringRecord.objects.count() == 1


def test_it_refuses_a_quarter_out_of_range_through_full_clean():
    record = MonitoringRecordFactory.build(agreement=AgreementFactory(), quarter=5)
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    assert "quarter" in refused.value.message_dict


def test_it_saves_a_monitoring_record_through_the_service(staff):
    agreement = AgreementFactory()
    record = monitoring_record_save(data=_record_data(agreement, 2025, 3), user=staff)
    record.refresh_from_db()
    assert (record.period_label, record.pic, record.created_by) == ("2025 Q3", "Bu Rina", staff)
    assert record.history.count() == 1


def test_it_refuses_a_monitoring_record_from_the_wrong_people(other_coordinator, auditor, coordinator, jurusan_if):
    agreement = AgreementFactory(units=[jurusan_if])
    for user in (other_coordinator, auditor):
        with pytest.raises(PermissionDenied):
            monitoring_record_save(data=_record_data(agreement, 2025, 3), user=user)
    assert MonitoringRecord.objects.count() == 0
    monitoring_record_save(data=_record_data(agreement, 2025, 3), user=coordinator)
    assert MonitoringRecord.objects.count() == 1


def _evaluation_data(agreement, year=2025, **values):
    base = dict(
        benefit=True,
        benefit_reason="Dipakai di kuliah",
        performance=False,
        performance_reason="Belum ada fasilitas",
        satisfaction=True,
        kepuasan=None,
        keberlanjutan=None,
        effectiveness=3,
        recommendation="lanjut",
        notes="Baik",
    )
    base.update(values)
    return EvaluationData(agreement=agreement, year=year, **base)


def test_it_saves_an_evaluation_with_its_reviewer_and_history(kapokja):
    agreement = AgreementFactory()
    evaluation = evaluation_save(data=_evaluation_data(agreement), user=kapokja)
    evaluation.refresh_from_db()
    assert (evaluation.benefit, evaluation.performance, evaluation.effectiveness) == (True, False, 3)
    assert evaluation.reviewer == kapokja
    assert evaluation.history.count() == 1


def test_it_refuses_a_second_evaluation_for_the_year_on_the_year_field(kapokja):
    agreement = AgreementFactory()
    EvaluationFactory(agreement=agreement, year=2025)
    with pytest.raises(ValidationError) as refused:
        Evaluation(agreement=agreement, year=2025, effectiveness=3).full_clean()
    assert list(refused.value.message_dict) == ["year"]
    with pytest.raises(ValidationError) as refused:
        evaluation_save(data=_evaluation_data(agreement), user=kapokja)
    assert list(refused.value.message_dict) == ["year"]
    assert Evaluation.objects.count() == 1


def test_it_refuses_a_year_the_agreement_was_not_in_force(kapokja):
    agreement = AgreementFactory(start_date=dt.date(2025, 1, 1), end_date=dt.date(2026, 12, 31))
    with pytest.raises(ValidationError) as refused:
        evaluation_save(data=_evaluation_data(agreement, year=2027), user=kapokja)
    assert list(refused.value.message_dict) == ["year"]
    assert Evaluation.objects.count() == 0


@pytest.mark.parametrize(("field", "value"), [("kepuasan", 5), ("kepuasan", 0), ("effectiveness", 5)])
def test_it_refuses_scores_outside_one_to_four(kapokja, field, value):
    agreement = AgreementFactory()
    with pytest.raises(ValidationError) as refused:
        Evaluation(agreement=agreement, year=2025, **{field: value}).full_clean()
    assert field in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        evaluation_save(data=_evaluation_data(agreement, **{field: value}), user=kapokja)
    assert field in refused.value.message_dict
    assert Evaluation.objects.count() == 0


def test_it_lets_only_the_team_and_the_units_coordinator_write(
    staff, coordinator, other_coordinator, pimpinan, auditor, outsider, jurusan_if
):
    agreement = AgreementFactory(units=[jurusan_if])
    for user in (other_coordinator, pimpinan, auditor, outsider):
        with pytest.raises(PermissionDenied):
            evaluation_save(data=_evaluation_data(agreement), user=user)
    assert Evaluation.objects.count() == 0
    evaluation = evaluation_save(data=_evaluation_data(agreement), user=coordinator)
    assert evaluation.reviewer == coordinator
    # The reviewer is part of the data; left empty, the person writing is the reviewer.
    evaluation_save(
        data=_evaluation_data(agreement, notes="Diubah", reviewer=coordinator), user=staff, evaluation=evaluation
    )
    evaluation.refresh_from_db()
    assert (evaluation.notes, evaluation.reviewer) == ("Diubah", coordinator)
    evaluation_save(data=_evaluation_data(agreement, notes="Lagi"), user=staff, evaluation=evaluation)
    evaluation.refresh_from_db()
    assert evaluation.reviewer == staff
