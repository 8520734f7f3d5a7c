"""Bad input on the agreement form: nothing saved, the error on the right field, the typing kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import constants as message_levels
from django.urls import reverse

from simkerma.agreements.models import Agreement, Kind
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.agreements.tests.helpers import agreement_data, edit_data
from simkerma.partners.tests.factories import PartnerFactory

TYPED_TITLE = "Judul yang sudah diketik pengguna"
D = dt.date


@pytest.fixture
def partner(db):
    return PartnerFactory(name="PT Contoh Elektronik")


@pytest.fixture
def mou(db):
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


def post_create(client, data):
    before = set(Agreement.objects.values_list("pk", flat=True))
    response = client.post(reverse("agreements:create"), data)
    assert set(Agreement.objects.values_list("pk", flat=True)) == before, "nothing may be saved"
    assert response.status_code == 200
    assert TYPED_TITLE in response.content.decode()
    return response.context["form"]


@pytest.mark.django_db
def test_it_refuses_an_end_before_the_start(client_for, staff, partner):
    data = agreement_data(partners=[partner], title=TYPED_TITLE, start="2025-03-03", end="2025-03-02")
    form = post_create(client_for(staff), data)
    assert set(form.errors) == {"end_date"}


@pytest.mark.django_db
def test_it_accepts_an_agreement_of_a_single_day(client_for, staff, partner):
    data = agreement_data(partners=[partner], title=TYPED_TITLE, start="2025-03-03", end="2025-03-03")
    response = client_for(staff).post(reverse("agreements:create"), data)
    assert response.status_code == 302
    assert Agreement.objects.get().end_date == D(2025, 3, 3)


@pytest.mark.django_db
def test_it_refuses_a_number_already_in_use(client_for, staff, partner, mou):
    data = agreement_data(partners=[partner], title=TYPED_TITLE, number=f" {mou.number} ")
    form = post_create(client_for(staff), data)
    assert set(form.errors) == {"number"}
    assert [e.code for e in form.errors.as_data()["number"]] == ["unique"]


@pytest.mark.django_db
def test_it_refuses_an_ia_under_an_ia(client_for, staff, partner, ia):
    data = agreement_data(partners=[partner], title=TYPED_TITLE, kind="ia", parent=ia, start="2025-04-01")
    form = post_create(client_for(staff), data)
    assert set(form.errors) == {"parent"}


@pytest.mark.django_db
def test_it_refuses_an_moa_under_an_moa(client_for, staff, partner, moa):
    data = agreement_data(partners=[partner], title=TYPED_TITLE, kind="moa", parent=moa, start="2025-04-01")
    data["end_date"] = "2026-01-01"
    form = post_create(client_for(staff), data)
    assert set(form.errors) == {"parent"}


@pytest.mark.django_db
def test_it_refuses_an_mou_with_a_parent(client_for, staff, partner, mou):
    data = agreement_data(partners=[partner], title=TYPED_TITLE, kind="mou", parent=mou, start="2025-04-01")
    form = post_create(client_for(staff), data)
    assert set(form.errors) == {"parent"}


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["kind", "title", "partners", "level", "fields", "start_date", "end_date"])
def test_it_requires_the_essential_fields(client_for, staff, partner, missing):
    data = agreement_data(partners=[partner], title=TYPED_TITLE)
    data[missing] = [] if missing in ("partners", "fields") else ""
    if missing == "title":
        data["scope"] = TYPED_TITLE  # still shown back to the user
    form = post_create(client_for(staff), data)
    assert set(form.errors) == {missing}


@pytest.mark.django_db
def test_it_refuses_an_unknown_field_value(client_for, staff, partner):
    data = agreement_data(partners=[partner], title=TYPED_TITLE, fields=["pendidikan", "olahraga"])
    form = post_create(client_for(staff), data)
    assert set(form.errors) == {"fields"}


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "parent_name"), [("moa", "mou"), ("ia", "mou"), ("ia", "moa")])
def test_it_accepts_each_allowed_parent(client_for, staff, partner, ia, kind, parent_name, request):
    parent = request.getfixturevalue(parent_name)
    data = agreement_data(partners=[partner], kind=kind, parent=parent, start="2025-04-01", end="2025-12-31")
    response = client_for(staff).post(reverse("agreements:create"), data)
    assert response.status_code == 302
    assert Agreement.objects.get(title=data["title"]).parent == parent


@pytest.mark.django_db
def test_it_saves_a_child_outside_its_parents_period_with_a_warning(client_for, staff, partner, moa):
    client = client_for(staff)
    data = agreement_data(partners=[partner], kind="ia", parent=moa, start="2026-06-01", end="2027-05-31")
    response = client.post(reverse("agreements:create"), data, follow=True)
    child = Agreement.objects.get(title=data["title"])
    assert child.parent == moa
    assert response.redirect_chain == [(child.get_absolute_url(), 302)]
    messages = list(response.context["messages"])
    warnings = [m for m in messages if m.level == message_levels.WARNING]
    assert len(warnings) == 1
    assert moa.number in warnings[0].message
    assert [m.level for m in messages].count(message_levels.SUCCESS) == 1
    assert response.context["outside_parent"] is True
    detail = client.get(child.get_absolute_url())
    assert detail.context["outside_parent"] is True
    assert moa.number in detail.content.decode()


@pytest.mark.django_db
def test_it_adds_no_warning_for_a_child_inside_its_parents_period(client_for, staff, partner, moa):
    client = client_for(staff)
    data = agreement_data(partners=[partner], kind="ia", parent=moa, start="2025-02-01", end="2027-01-31")
    response = client.post(reverse("agreements:create"), data, follow=True)
    assert [m.level for m in response.context["messages"]] == [message_levels.SUCCESS]
    assert response.context["outside_parent"] is False


@pytest.mark.django_db
def test_it_refuses_to_hang_an_agreement_under_itself(client_for, staff, mou):
    data = edit_data(mou, kind="moa", parent=mou, title=TYPED_TITLE)
    response = client_for(staff).post(reverse("agreements:edit", args=[mou.pk]), data)
    assert set(response.context["form"].errors) == {"parent"}
    mou.refresh_from_db()
    assert (mou.kind, mou.parent) == (Kind.MOU, None)
    assert mou.title != TYPED_TITLE


@pytest.mark.django_db
def test_it_refuses_a_kind_change_that_would_break_the_tree_below(client_for, staff, mou, moa, ia):
    client = client_for(staff)
    # An MoA with IA under it may not become an IA: an IA cannot hang under an IA.
    response = client.post(reverse("agreements:edit", args=[moa.pk]), edit_data(moa, kind="ia", title=TYPED_TITLE))
    assert set(response.context["form"].errors) == {"kind"}
    # An MoU with an MoA under it may not become an MoA.
    other_mou = AgreementFactory(kind=Kind.MOU, number="002/MOU.PL29/I/2025")
    data = edit_data(mou, kind="moa", parent=other_mou, title=TYPED_TITLE)
    response = client.post(reverse("agreements:edit", args=[mou.pk]), data)
    assert set(response.context["form"].errors) == {"kind"}
    assert set(Agreement.objects.values_list("kind", flat=True)) == {Kind.MOU, Kind.MOA, Kind.IA}
    assert Agreement.objects.filter(title=TYPED_TITLE).count() == 0


@pytest.mark.django_db
def test_it_prefills_a_child_of_the_chosen_parent(client_for, staff, mou, moa, partner):
    client = client_for(staff)

    def prefilled(**params):
        initial = client.get(reverse("agreements:create"), params).context["form"].initial
        return {key: initial.get(key) for key in ("parent", "kind", "partners")}

    assert prefilled(parent=mou.pk, partner=partner.pk) == {
        "parent": str(mou.pk),
        "kind": Kind.MOA,
        "partners": [str(partner.pk)],
    }
    assert prefilled(parent=moa.pk) == {"parent": str(moa.pk), "kind": Kind.IA, "partners": []}
    assert prefilled(parent="x; DROP", partner="-1") == {"parent": None, "kind": "", "partners": []}
