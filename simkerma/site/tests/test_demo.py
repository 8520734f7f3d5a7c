import pytest
from django.core.management import call_command

from simkerma.accounts.models import Role, User
from simkerma.activities.models import Activity
from simkerma.agreements.models import Agreement
from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import Partner
from simkerma.servicedesk.models import ServiceRequest
from simkerma.site.demo import DEMO_PASSWORD


@pytest.mark.django_db
def test_it_loads_the_demo_institution_into_an_empty_database_once(capsys):
    call_command("load_demo", "--if-empty")
    out = capsys.readouterr().out

    assert Unit.objects.filter(kind="jurusan").count() == 4
    assert Prodi.objects.count() == 21
    assert set(Unit.objects.values_list("code", flat=True)) >= {"IF", "EL", "TM", "MB", "P3M", "HUMAS"}
    assert Unit.objects.get(code="P3M").expected_fields == ["penelitian", "pkm"]
    assert not Unit.objects.filter(is_demo=False).exists()
    assert not Partner.objects.filter(is_demo=False).exists()
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    staff = User.objects.get(username="staf")
    assert staff.check_password(DEMO_PASSWORD)
    assert "staf" in out and DEMO_PASSWORD in out
    moa = Agreement.objects.get(kind="moa")
    assert moa.parent.kind == "mou"
    assert Agreement.objects.get(kind="ia").parent == moa
    assert Activity.objects.count() == 4
    assert ServiceRequest.objects.count() == 2

    call_command("load_demo", "--if-empty")

    assert "not loaded" in capsys.readouterr().out
    assert Agreement.objects.count() == 6
    assert User.objects.count() == len(Role.values) + 1  # two coordinators


@pytest.mark.django_db
def test_it_refuses_to_load_the_demo_over_real_data(jurusan_if):
    with pytest.raises(SystemExit):
        call_command("load_demo")
    assert not Unit.objects.filter(is_demo=True).exists()


@pytest.mark.django_db
def test_it_shows_the_demo_banner_only_when_demo_data_exists(client):
    call_command("load_demo", "--if-empty")
    client.force_login(User.objects.get(username="staf"))
    assert 'class="demo-banner"' in client.get("/").content.decode()

    Unit.objects.update(is_demo=False)

    assert 'class="demo-banner"' not in client.get("/").content.decode()
