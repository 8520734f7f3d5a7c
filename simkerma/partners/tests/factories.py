import factory

from simkerma.partners.models import Partner, PartnerContact


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"PT Mitra Uji {n}")
    kind = Partner.Kind.INDUSTRI
    country = "ID"
    city = "Batam"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerContact

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Faker("name")
    position = "HR Manager"
    email = factory.Sequence(lambda n: f"contact{n}@mitra.test")
