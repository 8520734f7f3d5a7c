"""The one selector behind the request list: typed filters, one word search, the reader's scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from simkerma.partners.tests.factories import PartnerFactory
from simkerma.servicedesk.forms import RequestFilterForm
from simkerma.servicedesk.models import Channel, RequestKind, ServiceRequest, Stage
from simkerma.servicedesk.selectors import RequestFilters, RequestOrder, queue_requests, request_list
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.helpers import wib

pytestmark = pytest.mark.django_db


def _codes(requests) -> list[str]:
    return [request.code for request in requests]


def test_it_filters_by_stage_channel_kind_and_words(staff):
    partner = PartnerFactory(name="PT Galangan Nusantara")
    first = ServiceRequestFactory(subject="MoU magang", kind=RequestKind.NEW_COOPERATION, partner=partner)
    second = ServiceRequestFactory(subject="Tanya prosedur", channel=Channel.WHATSAPP)
    ServiceRequest.objects.filter(pk=first.pk).update(stage=Stage.DIVERIFIKASI)
    assert _codes(request_list(user=staff, filters=RequestFilters(stage=Stage.DIVERIFIKASI))) == [first.code]
    assert _codes(request_list(user=staff, filters=RequestFilters(channel=Channel.WHATSAPP))) == [second.code]
    assert _codes(request_list(user=staff, filters=RequestFilters(kind=RequestKind.NEW_COOPERATION))) == [first.code]
    assert _codes(request_list(user=staff, filters=RequestFilters(q="galangan magang"))) == [first.code]
    assert _codes(request_list(user=staff, filters=RequestFilters(q="galangan prosedur"))) == []


def test_the_filter_form_builds_the_filters():
    form = RequestFilterForm({"q": " magang ", "stage": "", "channel": "email", "kind": ""})
    assert form.to_filters() == RequestFilters(q="magang", channel="email")
    assert RequestFilterForm({"q": "x " * 20}).to_filters() == RequestFilters()  # refused: filters nothing


def test_it_lists_the_newest_first_and_the_queue_by_next_deadline(staff):
    older = ServiceRequestFactory(received_at=wib(2026, 11, 23, 9, 0))
    newer = ServiceRequestFactory(received_at=wib(2026, 11, 23, 10, 0))
    assert _codes(request_list(user=staff, filters=RequestFilters())) == [newer.code, older.code]
    by_due = request_list(user=staff, filters=RequestFilters(order=RequestOrder.NEXT_DUE))
    assert _codes(by_due) == [older.code, newer.code] == _codes(queue_requests())


def test_an_outsider_is_refused(outsider):
    ServiceRequestFactory()
    with pytest.raises(PermissionDenied):
        request_list(user=outsider, filters=RequestFilters())
