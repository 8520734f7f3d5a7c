import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simkerma.activities.models import ActivityStatus
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.evaluations.selectors import Judgement, SurveySummary, aspect_judgements, evaluations_due
from simkerma.evaluations.tests.factories import EvaluationFactory, SurveyInvitationFactory, answered

pytestmark = pytest.mark.django_db


def test_it_keeps_the_evaluations_own_values():
    evaluation = EvaluationFactory(year=2025, benefit=True, performance=False, kepuasan=2, keberlanjutan=True)
    answered(evaluation.agreement, 2025, 4, False)
    assert aspect_judgements(2025) == {
        evaluation.agreement_id: Judgement(
            benefit=True,
            performance=False,
            kepuasan=2,
            keberlanjutan=True,
            kepuasan_from_survey=False,
            keberlanjutan_from_survey=False,
        )
    }


@pytest.mark.parametrize(
    ("answers", "expected"),
    [([3, 4], 4), ([2, 3], 3), ([1, 2, 2], 2), ([4], 4), ([3, 3, 4, 4], 4), ([1, 1, 2], 1)],
)
def test_it_rounds_the_survey_mean_half_up(answers, expected):
    evaluation = EvaluationFactory(year=2025, kepuasan=None, keberlanjutan=None)
    for value in answers:
        answered(evaluation.agreement, 2025, value)
    judgement = aspect_judgements(2025)[evaluation.agreement_id]
    assert judgement.kepuasan == expected
    assert judgement.kepuasan_from_survey is True


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([True, True, False], True),
        ([True, False], False),
        ([False], False),
        ([True], True),
        ([True, False, False], False),
    ],
)
def test_it_takes_continuation_from_a_strict_majority(answers, expected):
    evaluation = EvaluationFactory(year=2025, kepuasan=3, keberlanjutan=None)
    for value in answers:
        answered(evaluation.agreement, 2025, 3, value)
    judgement = aspect_judgements(2025)[evaluation.agreement_id]
    assert judgement.keberlanjutan is expected
    assert judgement.keberlanjutan_from_survey is True
    assert judgement.kepuasan_from_survey is False


def test_it_ignores_unanswered_surveys_and_other_years():
    evaluation = EvaluationFactory(year=2025, kepuasan=None, keberlanjutan=None)
    SurveyInvitationFactory(agreement=evaluation.agreement, year=2025)
    answered(evaluation.agreement, 2026, 4)
    judgement = aspect_judgements(2025)[evaluation.agreement_id]
    assert (judgement.kepuasan, judgement.keberlanjutan) == (None, None)
    assert (judgement.kepuasan_from_survey, judgement.keberlanjutan_from_survey) == (False, False)


def test_it_leaves_out_agreements_without_an_evaluation():
    agreement = AgreementFactory()
    answered(agreement, 2025, 4)
    assert aspect_judgements(2025) == {}


def test_it_reads_every_agreement_in_two_queries(django_assert_num_queries):
    for _ in range(5):
        evaluation = EvaluationFactory(year=2025, kepuasan=None)
        answered(evaluation.agreement, 2025, 3)
    with django_assert_num_queries(2):
        assert len(aspect_judgements(2025)) == 5


def test_it_lists_agreements_carried_out_and_not_evaluated(staff, coordinator, jurusan_if, outsider):
    done = ActivityFactory(status=ActivityStatus.TERLAKSANA, start_date=dt.date(2025, 5, 1))
    evaluated = ActivityFactory(status=ActivityStatus.TERLAKSANA, start_date=dt.date(2025, 5, 1))
    EvaluationFactory(agreement=evaluated.agreement, year=2025)
    ActivityFactory(start_date=dt.date(2025, 5, 1))  # only planned
    mine = ActivityFactory(
        status=ActivityStatus.TERLAKSANA,
        start_date=dt.date(2025, 6, 1),
        agreement=AgreementFactory(units=[jurusan_if]),
    )
    assert set(evaluations_due(2025, user=staff)) == {done.agreement, mine.agreement}
    assert list(evaluations_due(2025, user=coordinator)) == [mine.agreement]
    assert list(evaluations_due(2026, user=staff)) == []
    with pytest.raises(Exception) as refused:
        evaluations_due(2025, user=outsider)
    assert type(refused.value).__name__ == "PermissionDenied"


@given(st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=40), st.data())
def test_it_rounds_any_mean_half_up_and_counts_a_strict_majority(answers, data):
    yes = data.draw(st.integers(min_value=0, max_value=len(answers)))
    summary = SurveySummary(sent=len(answers), answered=len(answers), satisfaction_sum=sum(answers), continue_yes=yes)
    mean = Fraction(sum(answers), len(answers))
    assert summary.kepuasan == int(mean + Fraction(1, 2))  # floor(mean + 1/2): half up for positive means
    assert summary.keberlanjutan is (yes > len(answers) - yes)
