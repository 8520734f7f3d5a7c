"""Every operation of the OpenAPI schema, fed generated values (valid and invalid) through the WSGI
app on the test database with a valid token: never a server error, and every answer as documented."""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from simkerma.activities.models import ActivityStatus
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.models import Kind
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.api.api import api
from simkerma.api.data import TokenData
from simkerma.api.services import token_create
from simkerma.partners.tests.factories import PartnerFactory
from simkerma.servicedesk.tests.factories import ServiceRequestFactory

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = WSGIHandler()
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.content_type_conformance,
]


@pytest.fixture
def secret(db, staff, jurusan_if, prodi_if):
    """A writable token of Staf Kerjasama, and a few records for the generated ids and codes to find."""
    partner = PartnerFactory(code="BIC")
    mou = AgreementFactory(kind=Kind.MOU, partners=[partner], units=[jurusan_if])
    moa = AgreementFactory(kind=Kind.MOA, parent=mou, partners=[partner], prodi=[prodi_if])
    ActivityFactory(agreement=moa, status=ActivityStatus.TERLAKSANA, start_date=dt.date(2025, 5, 1))
    ServiceRequestFactory(partner=partner)
    # Inside the test's transaction the app must not close the connection between requests, as
    # Django's own test client arranges.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield token_create(user=staff, data=TokenData(name="schemathesis", read_only=False)).secret
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_it_answers_every_operation_without_a_server_error(case, secret):
    case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)
