import datetime as dt

import factory
from django.utils import timezone

from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.evaluations.models import Evaluation, MonitoringRecord, MonitoringStatus, SurveyInvitation


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    agreement = factory.SubFactory(AgreementFactory)
    year = 2025
    benefit = True
    performance = True
    satisfaction = True
    effectiveness = 3
    recommendation = "lanjut"


class MonitoringRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringRecord

    agreement = factory.SubFactory(AgreementFactory)
    year = 2025
    quarter = 1
    activity_title = "Kuliah tamu"
    status = MonitoringStatus.DONE
    monitored_on = dt.date(2025, 3, 31)


class SurveyInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyInvitation

    agreement = factory.SubFactory(AgreementFactory)
    year = 2025
    name = "Mitra"
    email = factory.Sequence(lambda n: f"survey{n}@mitra.test")
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))


def answered(agreement, year, satisfaction, intends_to_continue=True):
    return SurveyInvitationFactory(
        agreement=agreement,
        year=year,
        answered_at=timezone.now(),
        satisfaction=satisfaction,
        communication=satisfaction,
        usefulness=satisfaction,
        intends_to_continue=intends_to_continue,
    )
