"""Cooperation requests through their stages, and signing into an agreement."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse

from simkerma.agreements.models import Agreement, Signatory
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.agreements.tests.helpers import signatory_data
from simkerma.partners.tests.factories import PartnerFactory
from simkerma.servicedesk.models import DraftVersion, RequestKind, Stage, StageChange
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.helpers import wib

pytestmark = pytest.mark.django_db
NOW = wib(2026, 11, 26, 10, 0)


def _draft(request, number=1, **context):
    draft = DraftVersion(request=request, number=number, document_kind="mou", created_at=NOW, context=context)
    draft.file.save("v.docx", ContentFile(b"PK"), save=True)
    return draft


def _move(client, request, stage, note=""):
    return client.post(reverse("servicedesk:stage", args=[request.pk]), {"to_stage": stage, "note": note})


@time_machine.travel(NOW, tick=False)
def test_it_moves_through_the_stages_in_order_and_logs_each_change(client_for, staff):
    request = ServiceRequestFactory(kind=RequestKind.NEW_DRAFT, document_kind="mou")
    client = client_for(staff)
    assert _move(client, request, Stage.DIVERIFIKASI, "Data lengkap").status_code == 302
    _draft(request)
    for stage in (Stage.DRAF_DISUSUN, Stage.REVIEW_INTERNAL, Stage.NEGOSIASI_MITRA):
        assert _move(client, request, stage).status_code == 302
    request.refresh_from_db()
    assert request.stage == Stage.NEGOSIASI_MITRA
    log = list(StageChange.objects.filter(request=request).order_by("pk").values_list("from_stage", "to_stage"))
    assert log == [
        ("diterima", "diverifikasi"),
        ("diverifikasi", "draf_disusun"),
        ("draf_disusun", "review_internal"),
        ("review_internal", "negosiasi_mitra"),
    ]
    first = StageChange.objects.filter(request=request, to_stage=Stage.DIVERIFIKASI).get()
    assert (first.from_stage, first.changed_by, first.changed_at, first.note) == (
        Stage.DITERIMA,
        staff,
        NOW,
        "Data lengkap",
    )


@time_machine.travel(NOW, tick=False)
def test_an_out_of_order_stage_change_is_refused_with_a_reason(client_for, staff):
    request = ServiceRequestFactory(kind=RequestKind.NEW_DRAFT, document_kind="mou")
    client = client_for(staff)
    skip = _move(client, request, Stage.REVIEW_INTERNAL)
    assert skip.status_code == 400
    assert list(skip.context["stage_form"].errors) == ["to_stage"]
    _move(client, request, Stage.DIVERIFIKASI)
    no_draft = _move(client, request, Stage.DRAF_DISUSUN)
    assert no_draft.status_code == 400 and list(no_draft.context["stage_form"].errors) == ["to_stage"]
    straight_to_signed = _move(client, request, Stage.DITANDATANGANI)
    assert straight_to_signed.status_code == 400
    request.refresh_from_db()
    assert request.stage == Stage.DIVERIFIKASI
    assert StageChange.objects.filter(request=request).count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_rejection_needs_a_reason_and_closes_the_request(client_for, staff):
    request = ServiceRequestFactory(kind=RequestKind.REVISION, document_kind="moa")
    client = client_for(staff)
    assert list(_move(client, request, Stage.DITOLAK).context["stage_form"].errors) == ["note"]
    assert _move(client, request, Stage.DITOLAK, "Mitra membatalkan").status_code == 302
    request.refresh_from_db()
    assert request.stage == Stage.DITOLAK and request.rejection_reason == "Mitra membatalkan"
    assert _move(client, request, Stage.DIVERIFIKASI).status_code == 400


def test_an_information_request_has_no_stages(client_for, staff):
    request = ServiceRequestFactory(kind=RequestKind.INFORMATION)
    response = _move(client_for(staff), request, Stage.DIVERIFIKASI)
    assert response.status_code == 400 and list(response.context["stage_form"].errors) == ["to_stage"]


def _at_negotiation(partner):
    request = ServiceRequestFactory(
        kind=RequestKind.NEW_DRAFT, document_kind="mou", partner=partner, from_partner=True, scope="Magang\nDosen tamu"
    )
    request.stage = Stage.NEGOSIASI_MITRA
    request.save()
    _draft(
        request,
        document_kind="mou",
        title="Pengembangan SDM",
        scope="Magang\nDosen tamu",
        duration_years=5,
        start_date="2026-12-01",
        institution_signatory_name="Dr. Direktur",
        institution_signatory_position="Direktur",
        partner_signatory_name="Rina Hartono",
        partner_signatory_position="Direktur Utama",
        partner_name=partner.name,
    )
    return request


@time_machine.travel(NOW, tick=False)
def test_signing_creates_the_agreement_prefilled_and_links_it(client_for, staff):
    partner = PartnerFactory(name="PT Galangan Kapal Nusantara")
    request = _at_negotiation(partner)
    AgreementFactory(number="001/MOU.PL29/XI/2026")
    client = client_for(staff)
    page = client.get(reverse("servicedesk:sign", args=[request.pk]))
    assert page.status_code == 200
    initial = page.context["form"].initial
    assert initial["number"] == "002/MOU.PL29/XI/2026"
    assert (initial["kind"], initial["title"], initial["partners"]) == ("mou", "Pengembangan SDM", [partner.pk])
    assert (initial["start_date"], initial["end_date"]) == (dt.date(2026, 12, 1), dt.date(2031, 11, 30))
    assert initial["scope"] == "Magang\nDosen tamu"
    signatories = [form.initial for form in page.context["formset"].forms[:2]]
    assert [s["name"] for s in signatories] == ["Dr. Direktur", "Rina Hartono"]

    data = {
        "kind": "mou",
        "number": initial["number"],
        "partner_number": "",
        "title": initial["title"],
        "partners": [partner.pk],
        "level": "nasional",
        "fields": ["pendidikan"],
        "scope": initial["scope"],
        "start_date": "2026-12-01",
        "end_date": "2031-11-30",
        "signed_on": "2026-11-26",
        "notes": "",
    } | signatory_data(new=signatories)
    response = client.post(reverse("servicedesk:sign", args=[request.pk]), data)
    assert response.status_code == 302
    request.refresh_from_db()
    agreement = Agreement.objects.get(number="002/MOU.PL29/XI/2026")
    assert request.agreement == agreement and request.stage == Stage.DITANDATANGANI
    assert list(agreement.partners.all()) == [partner]
    assert agreement.scope_items == ["Magang", "Dosen tamu"] and agreement.signed_on == dt.date(2026, 11, 26)
    assert set(Signatory.objects.filter(agreement=agreement).values_list("name", "side")) == {
        ("Dr. Direktur", "institution"),
        ("Rina Hartono", "partner"),
    }
    last = StageChange.objects.filter(request=request).latest("pk")
    assert (last.from_stage, last.to_stage, last.changed_by) == (Stage.NEGOSIASI_MITRA, Stage.DITANDATANGANI, staff)


@time_machine.travel(NOW, tick=False)
def test_signing_with_a_number_in_use_is_refused(client_for, staff):
    partner = PartnerFactory()
    request = _at_negotiation(partner)
    AgreementFactory(number="001/MOU.PL29/XI/2026")
    data = {
        "kind": "mou",
        "number": "001/MOU.PL29/XI/2026",
        "title": "X",
        "partners": [partner.pk],
        "level": "nasional",
        "fields": ["pendidikan"],
        "start_date": "2026-12-01",
        "end_date": "2031-11-30",
    } | signatory_data()
    response = client_for(staff).post(reverse("servicedesk:sign", args=[request.pk]), data)
    assert response.status_code == 200 and "number" in response.context["form"].errors
    request.refresh_from_db()
    assert request.stage == Stage.NEGOSIASI_MITRA and request.agreement is None


def test_signing_is_only_offered_during_negotiation(client_for, staff):
    request = ServiceRequestFactory(kind=RequestKind.NEW_DRAFT, document_kind="mou")
    response = client_for(staff).get(reverse("servicedesk:sign", args=[request.pk]))
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()


def _agreement_data(partner, **changes):
    from simkerma.agreements.data import AgreementData, SignatoryData

    values = {
        "kind": "mou",
        "title": "Pengembangan SDM",
        "partners": [partner],
        "level": "nasional",
        "fields": ["pendidikan"],
        "start_date": dt.date(2026, 12, 1),
        "end_date": dt.date(2031, 11, 30),
        "signed_on": dt.date(2026, 11, 26),
        "signatories": [SignatoryData(side="partner", name="Rina Hartono", position="Direktur Utama")],
    }
    return AgreementData(**(values | changes))


@time_machine.travel(NOW, tick=False)
def test_signing_without_a_form_records_the_agreement_and_closes_the_request(staff):
    from simkerma.servicedesk.services import service_request_sign

    partner = PartnerFactory()
    request = _at_negotiation(partner)
    saved = service_request_sign(request=request, agreement=_agreement_data(partner), user=staff)
    request.refresh_from_db()
    assert request.agreement == saved.obj and request.stage == Stage.DITANDATANGANI
    assert saved.obj.number.endswith("/MOU.PL29/XI/2026")
    assert list(saved.obj.signatories.values_list("name", flat=True)) == ["Rina Hartono"]
    assert request.history.latest("history_id").history_change_reason == f"signed: {saved.obj.number}"


@time_machine.travel(NOW, tick=False)
def test_signing_refused_by_an_agreement_rule_saves_nothing(staff, outsider):
    from django.core.exceptions import PermissionDenied, ValidationError

    from simkerma.servicedesk.services import service_request_sign

    partner = PartnerFactory()
    request = _at_negotiation(partner)
    with pytest.raises(ValidationError) as refused:
        service_request_sign(
            request=request, agreement=_agreement_data(partner, end_date=dt.date(2026, 1, 1)), user=staff
        )
    assert "end_date" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        service_request_sign(request=request, agreement=_agreement_data(partner), user=outsider)
    request.refresh_from_db()
    assert request.stage == Stage.NEGOSIASI_MITRA and request.agreement is None
    assert not Agreement.objects.exists()
    assert not StageChange.objects.filter(request=request, to_stage=Stage.DITANDATANGANI).exists()
