"""The stage list offers only the next stage and rejection (issue 7, item 22)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from simkerma.servicedesk.models import RequestKind, Stage
from simkerma.servicedesk.tests.factories import ServiceRequestFactory

pytestmark = pytest.mark.django_db


def offered(page: str) -> list[str]:
    select = re.search(r'<select name="to_stage".*?</select>', page, re.S)
    assert select is not None
    return re.findall(r'<option value="([^"]*)"', select.group(0))


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        (Stage.DITERIMA, [Stage.DIVERIFIKASI, Stage.DITOLAK]),
        (Stage.DIVERIFIKASI, [Stage.DRAF_DISUSUN, Stage.DITOLAK]),
        (Stage.NEGOSIASI_MITRA, [Stage.DITOLAK]),  # signing has its own form
    ],
)
def test_the_list_offers_the_next_stage_and_rejection_only(client_for, staff, stage, expected):
    request = ServiceRequestFactory(kind=RequestKind.NEW_DRAFT, document_kind="mou", stage=stage)
    page = client_for(staff).get(request.get_absolute_url()).content.decode()
    assert offered(page) == [str(s) for s in expected]


def test_a_skipped_stage_sent_anyway_gets_the_rule_not_a_generic_error(client_for, staff):
    request = ServiceRequestFactory(kind=RequestKind.NEW_DRAFT, document_kind="mou")
    url = reverse("servicedesk:stage", args=[request.pk])
    response = client_for(staff).post(url, {"to_stage": Stage.REVIEW_INTERNAL, "note": ""})
    assert response.status_code == 400
    errors = response.context["stage_form"].errors["to_stage"]
    assert "cannot be skipped" in errors[0] or "tidak dapat dilewati" in errors[0]


def test_an_information_request_shows_no_stage_form(client_for, staff):
    request = ServiceRequestFactory(kind=RequestKind.INFORMATION)
    assert 'id="stage-form"' not in client_for(staff).get(request.get_absolute_url()).content.decode()
