"""No reminder to renew an agreement that already has a renewal."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.core import notices
from simkerma.core.models import Notice

pytestmark = pytest.mark.django_db
WIB = dt.timezone(dt.timedelta(hours=7))
D = dt.date


def test_it_reminds_only_of_agreements_without_a_renewal(jurusan_if, coordinator, staff):
    renewed = AgreementFactory(units=[jurusan_if], start_date=D(2025, 1, 1), end_date=D(2027, 3, 1))
    AgreementFactory(units=[jurusan_if], renews=renewed, start_date=D(2027, 3, 2), end_date=D(2030, 3, 1))
    unrenewed = AgreementFactory(units=[jurusan_if], start_date=D(2025, 1, 1), end_date=D(2027, 3, 1))
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=WIB)  # 90 days before 1 March 2027

    with time_machine.travel(now, tick=False):
        notices.run_once(now=now)

    links = set(Notice.objects.filter(kind="agreement_expiry").values_list("link", flat=True))
    assert links == {unrenewed.get_absolute_url()}
