import datetime as dt

import pytest
from django.urls import reverse

from simkerma.accounts.models import Role
from simkerma.accounts.tests.factories import UserFactory
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.evaluations.models import Evaluation, MonitoringRecord
from simkerma.evaluations.tests.factories import EvaluationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_logged(client):
    user = UserFactory(username="root", role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_it_refuses_a_period_outside_the_agreements_life_in_the_admin(admin_client_logged):
    agreement = AgreementFactory(start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 12, 31))
    page = admin_client_logged.post(
        reverse("admin:evaluations_monitoringrecord_add"),
        {
            "agreement": agreement.pk,
            "year": "2026",
            "quarter": "2",
            "activity_title": "Kuliah tamu",
            "status": "terlaksana",
            "monitored_on": "2026-06-30",
        },
    )
    assert page.status_code == 200
    assert "di luar masa berlaku" in page.content.decode()
    assert MonitoringRecord.objects.count() == 0


def test_it_keeps_an_archived_evaluation_from_the_admins_delete(admin_client_logged):
    evaluation = EvaluationFactory(
        archived_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), retention_until=dt.date(2031, 1, 1)
    )
    page = admin_client_logged.post(
        reverse("admin:evaluations_evaluation_delete", args=[evaluation.pk]), {"post": "yes"}
    )
    assert page.status_code == 403
    assert Evaluation.objects.count() == 1
