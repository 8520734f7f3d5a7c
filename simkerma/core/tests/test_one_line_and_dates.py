"""One-line fields hold no line breaks, mail subjects are valid headers, and dates stay in 1990..2100."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.forms import TerminateForm
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.core.dates import date_param
from simkerma.core.models import Notice
from simkerma.core.notices import notice_plan, send_due_notices
from simkerma.core.text import mail_subject, one_line
from simkerma.partners.tests.factories import PartnerFactory
from simkerma.servicedesk.forms.requests import MomentForm
from simkerma.servicedesk.tests.factories import ServiceRequestFactory


def test_it_puts_text_on_one_line():
    assert one_line("Kuliah\r\ntamu\tAI\x00\x1b") == "Kuliah tamu AI"
    assert mail_subject("Pengingat:\r\nBcc: x@evil.example\n\n" + "a" * 400) == (
        "Pengingat: Bcc: x@evil.example " + "a" * 224
    )


def test_it_reads_date_parameters_or_falls_back():
    assert date_param("2025-02-28") == dt.date(2025, 2, 28)
    assert [date_param(v) for v in ("2025-02-30", "9999-12-31", "0001-01-01", "x", "", None)] == [None] * 6


@pytest.mark.django_db
def test_a_title_with_line_breaks_is_stored_on_one_line():
    activity = ActivityFactory(title="Kuliah tamu\r\nBcc: x@evil.example")
    partner = PartnerFactory(name="PT Alpha", city="Batam\n")
    activity.refresh_from_db()
    partner.refresh_from_db()
    assert activity.title == "Kuliah tamu Bcc: x@evil.example"
    assert partner.city == "Batam "


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC), tick=False)  # Monday 09:00 WIB
def test_a_notice_with_a_line_break_in_its_subject_is_still_sent(staff):
    notice_plan(
        key="k1", kind="test", subject="Pengingat:\r\nKuliah", body="isi", due_at=timezone.now(), recipient=staff
    )
    # A notice stored earlier with a broken subject goes out too.
    Notice.objects.create(
        key="k2", kind="test", subject="Lama\nBaris", body="isi", due_at=timezone.now(), email="a@b.id"
    )
    send_due_notices()
    assert sorted(message.subject for message in mail.outbox) == ["Lama Baris", "Pengingat: Kuliah"]
    assert Notice.objects.filter(sent_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_a_datetime_in_year_1_is_refused_next_to_its_field():
    request = ServiceRequestFactory.build(received_at=dt.datetime(1, 1, 1, 0, 0, tzinfo=dt.UTC))
    with pytest.raises(ValidationError) as refused:
        request.full_clean()
    assert refused.value.message_dict["received_at"] == ["Masukkan tanggal antara 1990 dan 2100."]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0001-01-01T08:00", "9999-12-31T10:00"])
def test_a_moment_outside_the_range_is_refused_on_the_form(value):
    with translation.override("id"):
        form = MomentForm(data={"at": value})
        assert not form.is_valid()
        assert form.errors["at"] == ["Masukkan tanggal antara 1990 dan 2100."]


@pytest.mark.django_db
def test_a_termination_date_outside_the_range_is_refused():
    agreement = AgreementFactory(start_date=dt.date(2025, 1, 1), end_date=dt.date(2030, 1, 1))
    with translation.override("id"):
        form = TerminateForm(data={"terminated_on": "1900-01-01", "reason": "Selesai"}, agreement=agreement)
        assert not form.is_valid()
        assert form.errors["terminated_on"] == ["Masukkan tanggal antara 1990 dan 2100."]


@pytest.mark.django_db
def test_contacts_and_signatories_are_tidied_like_every_other_row():
    from simkerma.agreements.tests.factories import SignatoryFactory
    from simkerma.partners.tests.factories import ContactFactory

    contact = ContactFactory(name="Sari\r\nBcc: x@evil.example", position="HR\tManager")
    signatory = SignatoryFactory(name="Dr.\nBudi", position="Direktur\x1b")
    contact.refresh_from_db()
    signatory.refresh_from_db()
    assert (contact.name, contact.position) == ("Sari Bcc: x@evil.example", "HR Manager")
    assert (signatory.name, signatory.position) == ("Dr. Budi", "Direktur")
