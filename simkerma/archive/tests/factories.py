import hashlib

import factory
from django.core.files.base import ContentFile

from simkerma.activities.tests.factories import ActivityFactory
from simkerma.archive.models import CooperationReport, EvidenceFile
from simkerma.core.tests.files import PNG_BYTES


class ReportFactory(factory.django.DjangoModelFactory):
    """A filed (draft) report; pass activities=[...] (all under one agreement) or get a new one."""

    class Meta:
        model = CooperationReport
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"L2026-{n + 1:05d}")
    agreement = factory.LazyAttribute(lambda r: ActivityFactory(status="dilaporkan").agreement)
    title = factory.Sequence(lambda n: f"Laporan kuliah tamu {n}")
    summary = "Kuliah tamu tentang keamanan siber untuk mahasiswa semester lima."
    lead_name = "Andi Pratama"
    lead_position = "Koordinator Prodi"

    @factory.post_generation
    def activities(obj, create, extracted, **kwargs):
        if not create:
            return
        if extracted:
            obj.activities.set(extracted)
        else:
            obj.activities.set(obj.agreement.activities.all())


class EvidenceFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceFile

    report = factory.SubFactory(ReportFactory)
    kind = EvidenceFile.Kind.PHOTO
    content_type = "image/png"
    original_name = "foto.png"
    size = len(PNG_BYTES)
    sha256 = hashlib.sha256(PNG_BYTES).hexdigest()
    file = factory.LazyFunction(lambda: ContentFile(PNG_BYTES, name="foto.png"))
