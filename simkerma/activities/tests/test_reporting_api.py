"""The JSON API reads an activity's reporting fields: form of cooperation, duration, ciri khas PS,
funds per year and outputs used by the partner."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from simkerma.activities.reporting import ActivityFunding, ActivityOutput, CooperationForm
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.api.data import TokenData
from simkerma.api.services import token_create

pytestmark = pytest.mark.django_db
API = "/api/v1/activities"


@pytest.fixture
def api(auditor):
    issued = token_create(user=auditor, data=TokenData(name="Sistem uji", read_only=True))
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def test_an_activity_reads_with_its_reporting_fields(api, agreement_if):
    activity = ActivityFactory(
        agreement=agreement_if,
        start_date=dt.date(2025, 3, 1),
        cooperation_form=CooperationForm.objects.get(code="tefa"),
        duration_years=2,
        distinctive=True,
    )
    ActivityFunding.objects.create(activity=activity, year=2026, amount=7_500_000, source="Mitra")
    ActivityFunding.objects.create(activity=activity, year=2025, amount=25_000_000, source="Hibah")
    ActivityOutput.objects.create(
        activity=activity,
        title="Aplikasi pemantauan",
        kind="produk",
        evidence_link="https://mitra.example/bukti",
        used_on=dt.date(2025, 9, 1),
    )
    body = api.get(f"{API}/{activity.pk}").json()

    assert (body["cooperation_form"], body["duration_years"], body["distinctive"]) == ("tefa", 2, True)
    assert body["funding"] == [
        {"year": 2025, "amount": 25_000_000, "source": "Hibah"},
        {"year": 2026, "amount": 7_500_000, "source": "Mitra"},
    ]
    [output] = body["outputs"]
    assert (output["title"], output["kind"], output["used_on"]) == ("Aplikasi pemantauan", "produk", "2025-09-01")


def test_an_activity_without_them_reads_empty(api, agreement_if):
    activity = ActivityFactory(agreement=agreement_if)
    body = api.get(f"{API}/by-code", {"code": activity.code}).json()
    assert (body["cooperation_form"], body["duration_years"], body["distinctive"]) == (None, None, False)
    assert (body["funding"], body["outputs"]) == ([], [])
