import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from simkerma.evaluations.data import EvaluationData
from simkerma.evaluations.models import Evaluation
from simkerma.evaluations.services import evaluation_archive, evaluation_delete, evaluation_save
from simkerma.evaluations.tests.factories import EvaluationFactory

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 2, 10, 3, 0, tzinfo=dt.UTC), tick=False)
def test_it_archives_for_five_years_and_locks_the_evaluation(kapokja):
    evaluation = EvaluationFactory()
    archived = evaluation_archive(evaluation=evaluation, user=kapokja)
    assert archived.retention_until == dt.date(2031, 2, 10)
    assert archived.archived_by == kapokja
    data = EvaluationData(agreement=evaluation.agreement, year=2025, notes="x")
    with pytest.raises(ValidationError):
        evaluation_save(data=data, user=kapokja, evaluation=archived)
    archived.refresh_from_db()
    assert archived.notes == ""


def test_it_refuses_archiving_by_a_coordinator(coordinator):
    evaluation = EvaluationFactory()
    with pytest.raises(PermissionDenied):
        evaluation_archive(evaluation=evaluation, user=coordinator)
    evaluation.refresh_from_db()
    assert evaluation.archived_at is None


def test_it_refuses_deleting_before_the_retention_date(kapokja):
    with time_machine.travel(dt.datetime(2026, 2, 10, 3, 0, tzinfo=dt.UTC), tick=False):
        evaluation = evaluation_archive(evaluation=EvaluationFactory(), user=kapokja)
        with pytest.raises(ValidationError) as refused:
            evaluation_delete(evaluation=evaluation, user=kapokja)
        assert "2031" in refused.value.messages[0]
        with pytest.raises(ValidationError) as direct:  # the model refuses too, whatever door deletes it
            evaluation.delete()
        assert direct.value.code == "retained" and "2031" in direct.value.messages[0]
        assert Evaluation.objects.count() == 1
    with time_machine.travel(dt.datetime(2031, 2, 10, 3, 0, tzinfo=dt.UTC), tick=False):
        evaluation_delete(evaluation=evaluation, user=kapokja)
        assert Evaluation.objects.count() == 0


def test_it_refuses_an_archived_time_without_its_retention_date():
    evaluation = EvaluationFactory.build(archived_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    evaluation.agreement.save()
    with pytest.raises(ValidationError) as refused:
        evaluation.full_clean()
    assert "retention_until" in refused.value.message_dict
