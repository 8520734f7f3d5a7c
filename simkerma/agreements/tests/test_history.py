"""The history page: who changed what, from which old value to which new one."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from simkerma.agreements.models import Agreement, Signatory
from simkerma.agreements.tests.helpers import agreement_data, edit_data, signatory_data
from simkerma.partners.tests.factories import PartnerFactory


def values(entry) -> set[tuple[str, str]]:
    return {(change.old, change.new) for change in entry.changes}


def field_labels(response, *items: str) -> str:
    """How the page's language shows a list of fields, e.g. "Pendidikan, PkM"."""
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        return ", ".join(Agreement._meta.get_field("fields").labels(list(items)))


@pytest.fixture
def edited(client_for, staff, kapokja, jurusan_if):
    """Created by staff, then edited once by the Kapokja: title, partners, fields and a signatory."""
    old_partner, new_partner = PartnerFactory(name="PT Lama Jaya"), PartnerFactory(name="PT Baru Makmur")
    data = agreement_data(
        partners=[old_partner],
        title="Judul lama",
        units=[jurusan_if],
        fields=["pkm", "pendidikan"],
        signatories=[{"side": "partner", "name": "Budi", "position": "HRD Manager"}],
    )
    assert client_for(staff).post(reverse("agreements:create"), data).status_code == 302
    agreement = Agreement.objects.get()
    changes = signatory_data(existing=agreement.signatories.all())
    changes["signatories-0-name"] = "Budi Santoso"
    data = edit_data(agreement, title="Judul baru", partners=[new_partner], fields=["penelitian"], signatories=changes)
    assert client_for(kapokja).post(reverse("agreements:edit", args=[agreement.pk]), data).status_code == 302
    return agreement


def split(entries, agreement):
    """The entries about the agreement itself, and those about its (only) signatory."""
    with translation.override("id"):
        signatory_label = str(Signatory._meta.verbose_name)
    on_agreement = [e for e in entries if e.subject.endswith(str(agreement))]
    on_signatory = [e for e in entries if e not in on_agreement]
    assert all(e.subject.startswith(signatory_label) for e in on_signatory)
    return on_agreement, on_signatory


@pytest.mark.django_db
def test_it_shows_the_edit_with_old_and_new_values_and_the_user(client_for, auditor, kapokja, edited):
    response = client_for(auditor).get(reverse("agreements:history", args=[edited.pk]))
    assert response.status_code == 200
    assert response.context["object"] == edited
    on_agreement, on_signatory = split(response.context["entries"], edited)
    edit = on_agreement[0]  # newest first
    assert edit.who == kapokja
    # One entry for the whole edit: the partner swap is not split into a removal and an addition.
    assert values(edit) == {
        ("Judul lama", "Judul baru"),
        ("PT Lama Jaya", "PT Baru Makmur"),
        (field_labels(response, "pendidikan", "pkm"), field_labels(response, "penelitian")),
    }
    signatory_edit = on_signatory[0]
    assert signatory_edit.who == kapokja
    assert values(signatory_edit) == {("Budi", "Budi Santoso")}


@pytest.mark.django_db
def test_it_shows_the_creation_with_its_partners_and_units(client_for, staff, kapokja, edited):
    response = client_for(staff).get(reverse("agreements:history", args=[edited.pk]))
    on_agreement, on_signatory = split(response.context["entries"], edited)
    assert len(on_agreement) == 2
    creation = on_agreement[-1]
    assert creation.who == staff
    created = {new for old, new in values(creation)}
    assert {"Judul lama", "PT Lama Jaya", str(edited.units.get()), edited.number} <= created
    assert field_labels(response, "pendidikan", "pkm") in created
    assert all(old == "" for old, _new in values(creation))
    assert [e.who for e in on_signatory] == [kapokja, staff]
    assert {"Budi", "HRD Manager"} <= {new for old, new in values(on_signatory[-1])}


@pytest.mark.django_db
def test_it_records_one_history_row_per_save_with_the_relations_saved(edited):
    records = list(edited.history.order_by("history_id"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert [list(r.partners.values_list("partner__name", flat=True)) for r in records] == [
        ["PT Lama Jaya"],
        ["PT Baru Makmur"],
    ]
    assert [r.history_change_reason for r in records] == [
        records[0].history_change_reason,
        records[1].history_change_reason,
    ]
    assert records[0].history_change_reason != records[1].history_change_reason


@pytest.mark.django_db
def test_it_shows_the_termination_and_its_reason(client_for, staff, edited):
    url = reverse("agreements:terminate", args=[edited.pk])
    client_for(staff).post(url, {"terminated_on": "2026-01-05", "reason": "Mitra tutup"})
    response = client_for(staff).get(reverse("agreements:history", args=[edited.pk]))
    newest = response.context["entries"][0]
    assert newest.who == staff
    assert newest.reason == "diakhiri: Mitra tutup"  # stored as the English msgid, shown in the page's language
    assert values(newest) == {("–", "2026-01-05"), ("–", "Mitra tutup")}


@pytest.mark.django_db
def test_it_refuses_the_history_to_an_outsider(client_for, outsider, edited):
    response = client_for(outsider).get(reverse("agreements:history", args=[edited.pk]))
    assert response.status_code == 403
    assert b"Judul baru" not in response.content
