"""The agreement rules hold on every door: full_clean() in the shell, the service without a form, the admin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from simkerma.agreements.data import AgreementData, SignatoryData
from simkerma.agreements.models import Agreement, Kind, Signatory
from simkerma.agreements.selectors import AgreementFilters, agreement_list
from simkerma.agreements.services import agreement_save, agreement_terminate
from simkerma.agreements.tests.factories import AgreementFactory, SignatoryFactory
from simkerma.agreements.tests.helpers import edit_data
from simkerma.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def mou():
    return AgreementFactory(
        kind=Kind.MOU, number="001/MOU.PL29/I/2025", start_date=D(2025, 1, 1), end_date=D(2029, 12, 31)
    )


@pytest.fixture
def moa(mou):
    return AgreementFactory(
        kind=Kind.MOA, number="001/PKS.PL29/II/2025", parent=mou, start_date=D(2025, 2, 1), end_date=D(2027, 1, 31)
    )


@pytest.fixture
def ia(moa):
    return AgreementFactory(
        kind=Kind.IA, number="001/IA.PL29/III/2025", parent=moa, start_date=D(2025, 3, 1), end_date=D(2025, 12, 31)
    )


def data(**changes):
    values = {
        "kind": Kind.MOU,
        "title": "Kerja sama baru",
        "partners": [PartnerFactory()],
        "level": "nasional",
        "fields": ["pendidikan"],
        "start_date": D(2025, 4, 1),
        "end_date": D(2025, 11, 30),
    }
    return AgreementData(**(values | changes))


def errors_of(raised: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return raised.value.message_dict


def unsaved(**fields):
    values = {"number": "099/X/I/2025", "title": "Uji", "level": "nasional", "fields": ["pendidikan"]}
    values |= {"start_date": D(2025, 4, 1), "end_date": D(2025, 11, 30)}
    return Agreement(**(values | fields))


# --- full_clean() in the shell ------------------------------------------------------------------


def test_it_refuses_an_moa_under_an_ia_in_full_clean(ia):
    with pytest.raises(ValidationError) as raised:
        unsaved(kind=Kind.MOA, parent=ia).full_clean()
    assert list(errors_of(raised)) == ["parent"]
    assert "MoU" in errors_of(raised)["parent"][0]


@pytest.mark.parametrize(("kind", "parent_name"), [("ia", "ia"), ("moa", "moa"), ("mou", "mou")])
def test_it_refuses_each_parent_kind_not_allowed(request, ia, kind, parent_name):
    with pytest.raises(ValidationError) as raised:
        unsaved(kind=kind, parent=request.getfixturevalue(parent_name)).full_clean()
    assert list(errors_of(raised)) == ["parent"]


@pytest.mark.parametrize(("kind", "parent_name"), [("moa", "mou"), ("ia", "mou"), ("ia", "moa")])
def test_it_accepts_each_allowed_parent_in_full_clean(request, ia, kind, parent_name):
    unsaved(kind=kind, parent=request.getfixturevalue(parent_name)).full_clean()


def test_it_refuses_an_end_before_the_start_in_full_clean():
    with pytest.raises(ValidationError) as raised:
        unsaved(kind=Kind.MOU, start_date=D(2025, 3, 3), end_date=D(2025, 3, 2)).full_clean()
    assert list(errors_of(raised)) == ["end_date"]


def test_it_refuses_hanging_an_agreement_under_its_own_child_in_full_clean(mou, moa):
    mou.kind, mou.parent = Kind.MOA, moa
    with pytest.raises(ValidationError) as raised:
        mou.full_clean()
    assert "parent" in errors_of(raised)


def test_it_refuses_a_kind_change_that_strands_the_agreements_below(moa, ia):
    moa.kind = Kind.IA
    with pytest.raises(ValidationError) as raised:
        moa.full_clean()
    assert list(errors_of(raised)) == ["kind"]


@pytest.mark.parametrize("day", [D(2024, 12, 31), D(2030, 1, 1)])
def test_it_refuses_a_termination_outside_the_period_in_full_clean(mou, day):
    mou.terminated_on = day
    with pytest.raises(ValidationError) as raised:
        mou.full_clean()
    assert list(errors_of(raised)) == ["terminated_on"]


# --- the service, without a form ----------------------------------------------------------------


def test_the_service_refuses_an_moa_under_an_ia_and_saves_nothing(staff, ia):
    before = Agreement.objects.count(), Agreement.history.count()
    with pytest.raises(ValidationError) as raised:
        agreement_save(agreement=None, data=data(kind=Kind.MOA, parent=ia), user=staff)
    assert list(errors_of(raised)) == ["parent"]
    assert (Agreement.objects.count(), Agreement.history.count()) == before


def test_the_service_refuses_an_end_before_the_start_and_saves_nothing(staff):
    with pytest.raises(ValidationError) as raised:
        agreement_save(agreement=None, data=data(start_date=D(2025, 3, 3), end_date=D(2025, 3, 2)), user=staff)
    assert list(errors_of(raised)) == ["end_date"]
    assert not Agreement.objects.exists()


def test_the_service_refuses_an_agreement_without_partners(staff):
    with pytest.raises(ValidationError) as raised:
        agreement_save(agreement=None, data=data(partners=[]), user=staff)
    assert list(errors_of(raised)) == ["partners"]
    assert not Agreement.objects.exists()


def test_the_service_refuses_a_coordinator_an_agreement_outside_their_unit(coordinator, jurusan_mb):
    with pytest.raises(ValidationError) as raised:
        agreement_save(agreement=None, data=data(units=[jurusan_mb]), user=coordinator)
    assert list(errors_of(raised)) == ["units"]
    assert not Agreement.objects.exists()


@pytest.mark.parametrize("who", ["pimpinan", "auditor", "outsider"])
def test_the_service_refuses_a_reader(request, who):
    with pytest.raises(PermissionDenied):
        agreement_save(agreement=None, data=data(), user=request.getfixturevalue(who))
    assert not Agreement.objects.exists()


def test_the_service_refuses_an_edit_by_another_unit(other_coordinator, jurusan_if):
    agreement = AgreementFactory(units=[jurusan_if], title="Asli")
    with pytest.raises(PermissionDenied):
        agreement_save(agreement=agreement, data=data(units=[jurusan_if]), user=other_coordinator)
    agreement.refresh_from_db()
    assert agreement.title == "Asli"


def test_the_service_numbers_saves_links_and_gives_the_period_warning(staff, moa):
    partner = PartnerFactory()
    saved = agreement_save(
        agreement=None,
        data=data(kind=Kind.IA, parent=moa, partners=[partner], start_date=D(2026, 6, 1), end_date=D(2027, 5, 31)),
        user=staff,
    )
    agreement = Agreement.objects.get(pk=saved.obj.pk)
    assert agreement.number.startswith("001/IA.PL29/VI/2026")
    assert list(agreement.partners.all()) == [partner]
    assert agreement.created_by == staff
    assert len(saved.warnings) == 1 and moa.number in saved.warnings[0]
    records = list(agreement.history.all())
    assert [(r.history_type, r.history_change_reason) for r in records] == [("+", "created")]


def test_the_service_keeps_exactly_the_signatories_listed(staff):
    agreement = AgreementFactory(title="Asli")
    kept, dropped = SignatoryFactory(agreement=agreement, name="Tetap"), SignatoryFactory(agreement=agreement)
    rows = [
        SignatoryData(id=kept.pk, side=kept.side, name="Tetap Diubah", position=kept.position),
        SignatoryData(side=Signatory.Side.PARTNER, name="Baru", position="Direktur", organisation="PT Baru"),
    ]
    agreement_save(
        agreement=agreement,
        data=data(number=agreement.number, partners=list(agreement.partners.all()), signatories=rows),
        user=staff,
    )
    names = set(Signatory.objects.filter(agreement=agreement).values_list("name", flat=True))
    assert names == {"Tetap Diubah", "Baru"}
    assert not Signatory.objects.filter(pk=dropped.pk).exists()


def test_the_service_refuses_a_signatory_of_another_agreement(staff):
    agreement, other = AgreementFactory(), AgreementFactory()
    foreign = SignatoryFactory(agreement=other, name="Lain")
    rows = [SignatoryData(id=foreign.pk, side=foreign.side, name="Direbut", position="Direktur")]
    with pytest.raises(ValidationError) as raised:
        agreement_save(
            agreement=agreement,
            data=data(number=agreement.number, partners=list(agreement.partners.all()), signatories=rows),
            user=staff,
        )
    assert list(errors_of(raised)) == ["signatories"]
    foreign.refresh_from_db()
    assert (foreign.agreement, foreign.name) == (other, "Lain")


def test_the_terminate_service_refuses_a_day_after_the_end(staff, mou):
    with pytest.raises(ValidationError) as raised:
        agreement_terminate(agreement=mou, on=D(2030, 1, 1), reason="Mitra tutup", user=staff)
    assert list(errors_of(raised)) == ["terminated_on"]
    mou.refresh_from_db()
    assert mou.terminated_on is None


def test_the_terminate_service_records_the_reason_as_a_msgid(staff, mou):
    agreement_terminate(agreement=mou, on=D(2026, 1, 1), reason="Mitra tutup", user=staff)
    record = mou.history.order_by("-history_id").first()
    assert record.history_change_reason == "terminated: Mitra tutup"


def test_the_terminate_service_refuses_a_reader(pimpinan, mou):
    with pytest.raises(PermissionDenied):
        agreement_terminate(agreement=mou, on=D(2026, 1, 1), reason="x", user=pimpinan)
    mou.refresh_from_db()
    assert mou.terminated_on is None


# --- the Django admin ---------------------------------------------------------------------------


def admin_add_data(**changes):
    values = {
        "kind": "moa",
        "number": "050/PKS.PL29/IV/2025",
        "partner_number": "",
        "title": "MoA lewat admin",
        "partners": [PartnerFactory().pk],
        "level": "nasional",
        "fields": ["pendidikan"],
        "scope": "",
        "start_date": "2025-04-01",
        "end_date": "2025-11-30",
        "notes": "",
        "termination_reason": "",
        "signatories-TOTAL_FORMS": "0",
        "signatories-INITIAL_FORMS": "0",
        "signatories-MIN_NUM_FORMS": "0",
        "signatories-MAX_NUM_FORMS": "1000",
    }
    return values | changes


def test_the_admin_refuses_an_moa_under_an_ia(client_for, admin_user, ia):
    before = Agreement.objects.count()
    response = client_for(admin_user).post(reverse("admin:agreements_agreement_add"), admin_add_data(parent=ia.pk))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.errors) == ["parent"]
    assert "MoU" in form.errors["parent"][0]
    assert Agreement.objects.count() == before
    assert not Agreement.objects.filter(title="MoA lewat admin").exists()


def test_the_admin_saves_an_moa_under_an_mou(client_for, admin_user, ia, mou):
    response = client_for(admin_user).post(reverse("admin:agreements_agreement_add"), admin_add_data(parent=mou.pk))
    assert response.status_code == 302
    assert Agreement.objects.get(title="MoA lewat admin").parent == mou


# --- the list selector --------------------------------------------------------------------------


def test_the_list_selector_filters_and_sorts_without_a_form(staff, mou, moa, ia):
    assert list(agreement_list(user=staff, filters=AgreementFilters(kind=Kind.IA))) == [ia]
    assert list(agreement_list(user=staff, filters=AgreementFilters(q="PKS.PL29"))) == [moa]
    assert list(agreement_list(user=staff, filters=AgreementFilters(sort="start"))) == [mou, moa, ia]
    assert list(agreement_list(user=staff, filters=AgreementFilters())) == [ia, moa, mou]


def test_the_list_selector_refuses_an_account_without_a_role(outsider):
    with pytest.raises(PermissionDenied):
        agreement_list(user=outsider, filters=AgreementFilters())


# --- the pages ----------------------------------------------------------------------------------


def test_the_edit_page_refuses_a_start_after_the_termination_day_above_the_form(client_for, staff, mou):
    mou.terminated_on = D(2025, 6, 30)
    mou.save()
    data = edit_data(mou, start_date="2025-07-01", title="Judul yang diketik")
    response = client_for(staff).post(reverse("agreements:edit", args=[mou.pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1 and "2025" in errors[0]
    mou.refresh_from_db()
    assert mou.start_date == D(2025, 1, 1)
    assert mou.title != "Judul yang diketik"
    assert "Judul yang diketik" in response.content.decode()
