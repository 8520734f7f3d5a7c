import factory

from simkerma.org.models import Prodi, Unit


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n:02d}")
    name = factory.Sequence(lambda n: f"Unit {n}")
    kind = Unit.Kind.JURUSAN
    expected_fields = factory.LazyAttribute(lambda u: Unit.default_expected_fields(u.kind))


class ProdiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prodi
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"P{n:03d}")
    name = factory.Sequence(lambda n: f"Program Studi {n}")
    level = Prodi.Level.D4
    unit = factory.SubFactory(UnitFactory)
