import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from simkerma.core.dates import WIB
from simkerma.kpis.engine import kpi_report
from simkerma.partners.models import Partner
from simkerma.servicedesk.models import ServiceRequest
from simkerma.site.seeding import counts

SMALL = {
    "units": 6,
    "prodi": 20,
    "partners": 300,
    "contacts": 300,
    "agreements": 600,
    "activities": 3000,
    "funding": 1009,
    "reports": 297,
    "service requests": 600,
    "evaluations": 300,
    "surveys": 300,
    "agreement history": 600,
    "partner history": 300,
}


@pytest.mark.django_db
def test_it_seeds_the_small_scale_with_the_same_counts_every_time(capsys):
    call_command("seed_benchmark", "--scale", "small", "--no-progress")

    assert counts() == SMALL
    assert "service requests" in capsys.readouterr().out


@pytest.mark.django_db
def test_it_refuses_to_seed_a_database_that_holds_data():
    call_command("seed_benchmark", "--scale", "small", "--no-progress")

    with pytest.raises(CommandError) as refused:
        call_command("seed_benchmark", "--scale", "small", "--no-progress")

    assert refused.value.returncode == 2
    assert counts() == SMALL


@pytest.mark.django_db
def test_it_refuses_even_one_partner():
    Partner.objects.create(code="B1", name="PT Satu", name_key="pt satu", kind="industri")

    with pytest.raises(CommandError):
        call_command("seed_benchmark", "--scale", "small", "--no-progress")

    assert Partner.objects.count() == 1


@pytest.mark.django_db
def test_it_keeps_the_kpis_meaningful():
    call_command("seed_benchmark", "--scale", "small", "--no-progress")
    now = dt.datetime(2026, 6, 1, tzinfo=WIB)

    for year in (2023, 2024, 2025):
        report = kpi_report(year, now=now, cache=False)
        coverage = report["prodi_coverage"]
        assert 0 < coverage["covered"] < coverage["active"], year
        assert 0 < coverage["percent"] < 100, year
        assert report["service_times"]["response_15m"]["breached"] > 0, year
    assert ServiceRequest.objects.filter(responded_at__isnull=True, received_at__lt=now).count() > 0
