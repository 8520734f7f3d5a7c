import datetime as dt

import factory

from simkerma.agreements.models import Agreement, Kind, Signatory
from simkerma.core.choices import Field, Level
from simkerma.partners.tests.factories import PartnerFactory


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    kind = Kind.MOU
    number = factory.Sequence(lambda n: f"{n + 1:03d}/MOU.PL29/I/2025")
    title = factory.Sequence(lambda n: f"Kerja sama uji {n}")
    level = Level.NASIONAL
    fields = [Field.PENDIDIKAN]
    start_date = dt.date(2025, 1, 1)
    end_date = dt.date(2029, 12, 31)

    @factory.post_generation
    def partners(obj, create, extracted, **kwargs):
        if create:
            obj.partners.set(extracted if extracted is not None else [PartnerFactory()])

    @factory.post_generation
    def units(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.units.set(extracted)

    @factory.post_generation
    def prodi(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.prodi.set(extracted)


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    agreement = factory.SubFactory(AgreementFactory)
    side = Signatory.Side.INSTITUTION
    name = factory.Faker("name")
    position = "Direktur"
