import datetime as dt

import factory

from simkerma.core.dates import WIB
from simkerma.servicedesk.clocks import clocks_compute
from simkerma.servicedesk.models import Channel, RequestKind, ServiceRequest


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    """A request with its clocks computed from received_at, as the intake service does."""

    class Meta:
        model = ServiceRequest
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"LYN-2026-{n + 1:04d}")
    channel = Channel.EMAIL
    kind = RequestKind.INFORMATION
    subject = factory.Sequence(lambda n: f"Permintaan informasi {n}")
    requester_name = factory.Faker("name")
    requester_organisation = "PT Uji Coba"
    requester_email = factory.Sequence(lambda n: f"pemohon{n}@mitra.test")
    received_at = dt.datetime(2026, 11, 23, 9, 0, tzinfo=WIB)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        clocks_compute(obj)
        obj.save()
        return obj
