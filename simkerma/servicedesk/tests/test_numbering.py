"""Request codes and draft version numbers come from the shared numbering."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from simkerma.servicedesk.models import DraftVersion, RequestKind
from simkerma.servicedesk.services import ServiceRequestData, service_request_create, service_request_next_code
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.helpers import wib
from simkerma.servicedesk.tests.test_drafts import docx_upload

pytestmark = pytest.mark.django_db


def test_the_next_code_follows_the_highest_of_the_year_and_skips_hand_typed_ones(staff):
    ServiceRequestFactory(code="LYN-2026-0007")
    ServiceRequestFactory(code="LYN-2026-LAMA")
    ServiceRequestFactory(code="LYN-2025-0099")
    assert service_request_next_code(on=wib(2026, 11, 23).date()) == "LYN-2026-0008"
    data = ServiceRequestData(
        channel="email", kind=RequestKind.INFORMATION, subject="S", requester_name="A", received_at=wib(2026, 11, 23, 9)
    )
    with time_machine.travel(wib(2026, 11, 23, 10), tick=False):
        assert service_request_create(data=data, user=staff).code == "LYN-2026-0008"


def test_draft_versions_are_numbered_per_request_and_only_the_team_adds_them(staff, outsider):
    from simkerma.servicedesk.drafting import draft_upload

    first = ServiceRequestFactory(kind=RequestKind.NEW_COOPERATION)
    second = ServiceRequestFactory(kind=RequestKind.NEW_COOPERATION)
    for request in (first, first, second):
        draft_upload(request=request, upload=docx_upload(["v"]), document_kind="mou", note="", user=staff)
    assert sorted(DraftVersion.objects.values_list("request__code", "number")) == [
        (first.code, 1),
        (first.code, 2),
        (second.code, 1),
    ]
    with pytest.raises(PermissionDenied):
        draft_upload(request=second, upload=docx_upload(["v"]), document_kind="mou", note="", user=outsider)
    assert second.drafts.count() == 1
