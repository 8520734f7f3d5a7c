import datetime as dt

import factory
from django.utils import timezone

from simkerma.accounts.tests.factories import UserFactory
from simkerma.activities.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    CalendarToken,
    CoordinationRecord,
    FollowUpTask,
)
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.core.choices import Field


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    agreement = factory.SubFactory(AgreementFactory)
    code = factory.Sequence(lambda n: f"T2026-{n + 1:05d}")
    title = factory.Sequence(lambda n: f"Kuliah tamu {n}")
    kind = ActivityKind.KULIAH_TAMU
    field = Field.PENDIDIKAN
    start_date = dt.date(2026, 12, 10)
    status = ActivityStatus.RENCANA

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # An activity past rencana is created through the sanctioned import path, as the
        # workbook and the demo data do; a planned one as a user creates it.
        if kwargs.get("status", ActivityStatus.RENCANA) == ActivityStatus.RENCANA:
            return super()._create(model_class, *args, **kwargs)
        return model_class.create_imported(**kwargs)

    @factory.post_generation
    def units(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.units.set(extracted)

    @factory.post_generation
    def prodi(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.prodi.set(extracted)


class CoordinationRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoordinationRecord
        skip_postgeneration_save = True

    activity = factory.SubFactory(ActivityFactory)
    kind = CoordinationRecord.Kind.RAPAT
    held_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0))
    mode = CoordinationRecord.Mode.LURING
    agenda = "Persiapan kegiatan"


class FollowUpTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpTask

    activity = factory.SubFactory(ActivityFactory)
    title = factory.Sequence(lambda n: f"Tindak lanjut {n}")
    assignee = factory.SubFactory(UserFactory, role="staf")
    due_date = dt.date(2026, 12, 1)


class CalendarTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarToken

    user = factory.SubFactory(UserFactory, role="staf")
