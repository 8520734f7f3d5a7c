"""The mail intake against a real IMAP server (dovecot), with messages appended over IMAP."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image

from simkerma.intake.imap import poll_mailbox
from simkerma.intake.tests.conftest import DONE_FOLDER
from simkerma.intake.tests.mails import mail, message_id_of
from simkerma.partners.models import PartnerContact
from simkerma.partners.tests.factories import PartnerFactory
from simkerma.servicedesk.messages import RequestAttachment, RequestMessage
from simkerma.servicedesk.models import Channel, ServiceRequest


def arrival(hours_ago: int = 3) -> dt.datetime:
    return (timezone.now() - dt.timedelta(hours=hours_ago)).replace(microsecond=0)


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return out.getvalue()


def test_it_opens_a_request_from_a_new_message_at_its_arrival_time(mailbox):
    arrived = arrival()
    raw = mail(body="Mohon informasi prosedur MoU.")
    mailbox.deliver(raw, at=arrived)

    result = poll_mailbox()

    assert result is not None and result.created == 1
    request = ServiceRequest.objects.get()
    assert request.channel == Channel.EMAIL
    assert request.received_at == arrived  # INTERNALDATE, not the Date header of 2024
    assert request.requester_email == "budi@example.org"
    assert request.requester_name == "Budi Santoso"
    assert request.subject == "Permohonan kerja sama magang"
    assert request.message == "Mohon informasi prosedur MoU."
    assert request.response_due_at is not None
    [message] = request.conversation.all()
    assert message.message_id == message_id_of(raw)
    assert message.at == arrived
    assert mailbox.flags() == [("\\Seen",)]


def test_it_adds_a_reply_to_its_request_by_in_reply_to(mailbox):
    first = mail()
    mailbox.deliver(first, at=arrival(5))
    poll_mailbox()
    reply = mail(subject="Re: lain", body="Ini lampiran yang diminta.", headers={"In-Reply-To": message_id_of(first)})
    mailbox.deliver(reply, at=arrival(2))

    result = poll_mailbox()

    assert result is not None and (result.created, result.threaded) == (0, 1)
    request = ServiceRequest.objects.get()
    assert [m.body for m in request.conversation.all()] == [
        "Kami ingin menjajaki kerja sama magang mahasiswa.",
        "Ini lampiran yang diminta.",
    ]


def test_it_adds_a_reply_to_its_request_by_the_code_in_the_subject(mailbox):
    mailbox.deliver(mail(), at=arrival(5))
    poll_mailbox()
    code = ServiceRequest.objects.get().code
    mailbox.deliver(mail(subject=f"Re: Your request {code} has been received", body="Terima kasih."), at=arrival(1))

    poll_mailbox()

    assert ServiceRequest.objects.count() == 1
    assert ServiceRequest.objects.get().conversation.count() == 2


def test_it_marks_a_partners_contact_address_and_starts_the_follow_up_clock(mailbox):
    partner = PartnerFactory(name="PT Batam Teknologi")
    PartnerContact.objects.create(partner=partner, name="Sari", email="sari@batamtek.co.id")
    mailbox.deliver(mail(sender="Sari <SARI@batamtek.co.id>"), at=arrival())

    poll_mailbox()

    request = ServiceRequest.objects.get()
    assert request.partner == partner
    assert request.from_partner is True
    assert request.followup_due_at is not None


def test_it_marks_a_partner_by_its_web_sites_domain(mailbox):
    partner = PartnerFactory(name="PT Galangan Kapal", website="https://www.galangan.co.id/kontak")
    PartnerFactory(name="PT Lain", website="https://lain.co.id")
    mailbox.deliver(mail(sender="hrd@mail.galangan.co.id"), at=arrival())
    mailbox.deliver(mail(sender="someone@gmail.com"), at=arrival())

    poll_mailbox()

    by_address = {r.requester_email: r for r in ServiceRequest.objects.all()}
    assert by_address["hrd@mail.galangan.co.id"].partner == partner
    assert by_address["someone@gmail.com"].partner is None
    assert by_address["someone@gmail.com"].followup_due_at is None


@pytest.mark.parametrize(
    ("sender", "headers"),
    [
        ("budi@example.org", {"Auto-Submitted": "auto-replied"}),
        ("budi@example.org", {"Precedence": "bulk"}),
        ("budi@example.org", {"Precedence": "list"}),
        ("budi@example.org", {"List-Id": "<alumni.example.org>"}),
        ("MAILER-DAEMON@mx.example.org", {}),
        ("postmaster@example.org", {}),
    ],
)
def test_it_skips_auto_replies_bounces_and_list_mail(mailbox, sender, headers):
    mailbox.deliver(mail(sender=sender, headers=headers), at=arrival())
    mailbox.deliver(mail(sender="nyata@example.org", headers={"Auto-Submitted": "no"}), at=arrival())

    result = poll_mailbox()

    assert result is not None and (result.created, result.skipped) == (1, 1)
    assert list(ServiceRequest.objects.values_list("requester_email", flat=True)) == ["nyata@example.org"]
    assert mailbox.flags() == [("\\Seen",), ("\\Seen",)]  # skipped ones are not read again


def test_it_skips_malformed_messages_and_still_takes_the_others(mailbox, settings):
    settings.SIMKERMA_IMAP_MAX_MESSAGE_BYTES = 64 * 1024
    mailbox.deliver(mail(sender=""), at=arrival())  # no From
    mailbox.deliver(
        b"From: a@example.org\r\nSubject: x\r\nMessage-ID: <cs@example.org>\r\n"
        b'Content-Type: text/plain; charset="x-no-such-charset"\r\n\r\nhalo\r\n',
        at=arrival(),
    )
    mailbox.deliver(b"\x00\xff garbage without headers \r\n\r\n\x00", at=arrival())
    big = mail(attachments=[("besar.png", b"\x89PNG" + b"0" * (100 * 1024), "image/png")])
    mailbox.deliver(big, at=arrival())  # over the message limit: not even fetched
    mailbox.deliver(mail(sender="baik@example.org"), at=arrival())

    result = poll_mailbox()

    assert result is not None and (result.created, result.skipped) == (1, 4)
    assert list(ServiceRequest.objects.values_list("requester_email", flat=True)) == ["baik@example.org"]


def test_a_second_run_takes_nothing_twice(mailbox):
    for number in range(3):
        mailbox.deliver(mail(sender=f"p{number}@example.org"), at=arrival())
    first = poll_mailbox()
    mailbox.unflag_all()  # as if the flags were lost: the Message-IDs still tell

    second = poll_mailbox()

    assert first is not None and first.created == 3
    assert second is not None and (second.created, second.known) == (0, 3)
    assert ServiceRequest.objects.count() == 3
    assert RequestMessage.objects.count() == 3


def test_it_moves_taken_messages_to_the_done_folder_when_set(mailbox, settings):
    settings.SIMKERMA_IMAP_DONE_FOLDER = DONE_FOLDER
    mailbox.deliver(mail(), at=arrival())

    poll_mailbox()

    assert mailbox.flags("INBOX") == []
    assert len(mailbox.flags(DONE_FOLDER)) == 1
    assert ServiceRequest.objects.count() == 1


def test_it_keeps_checked_attachments_and_names_the_refused_ones(mailbox):
    mailbox.deliver(
        mail(
            attachments=[
                ("denah.png", png_bytes(), "image/png"),
                ("setup.exe", b"MZ\x90\x00", "application/octet-stream"),
            ]
        ),
        at=arrival(),
    )

    poll_mailbox()

    request = ServiceRequest.objects.get()
    [attachment] = RequestAttachment.objects.filter(message__request=request)
    assert (attachment.original_name, attachment.content_type) == ("denah.png", "image/png")
    assert "setup.exe" in request.conversation.get().body


def test_a_reply_to_an_answer_sent_from_the_app_threads_back(mailbox, staff):
    from simkerma.servicedesk.messages import Direction, Purpose
    from simkerma.servicedesk.replies import request_answer_by_email

    mailbox.deliver(mail(), at=arrival(1))
    poll_mailbox()
    request = ServiceRequest.objects.get()
    answer = request_answer_by_email(
        request=request, purpose=Purpose.RESPONSE, body="Silakan kirim proposal.", user=staff
    )
    reply = mail(subject="Proposal", body="Terlampir.", headers={"References": answer.message_id})
    mailbox.deliver(reply)

    poll_mailbox()

    assert ServiceRequest.objects.count() == 1
    # By the order they were recorded: INTERNALDATE counts whole seconds, and the reply came within one.
    assert list(request.conversation.order_by("pk").values_list("direction", "body")) == [
        (Direction.IN, "Kami ingin menjajaki kerja sama magang mahasiswa."),
        (Direction.OUT, "Silakan kirim proposal."),
        (Direction.IN, "Terlampir."),
    ]
    request.refresh_from_db()
    assert request.responded_at == answer.at


def test_a_second_worker_holding_the_mailbox_leaves_it_alone(mailbox):
    from simkerma.intake.models import MailboxState

    mailbox.deliver(mail(), at=arrival())
    MailboxState.objects.create(name="office", lease_until=timezone.now() + dt.timedelta(minutes=5))

    assert poll_mailbox() is None
    assert not ServiceRequest.objects.exists()


def test_the_requester_gets_a_receipt_and_one_address_no_more_than_the_limit(
    mailbox, settings, django_capture_on_commit_callbacks
):
    from simkerma.core.models import Notice

    settings.SIMKERMA_RECEIPTS_PER_RECIPIENT = 2
    for number in range(3):
        mailbox.deliver(mail(subject=f"Permohonan {number}"), at=arrival())

    with django_capture_on_commit_callbacks(execute=True):
        poll_mailbox()

    assert ServiceRequest.objects.count() == 3
    receipts = Notice.objects.filter(kind="servicedesk_receipt")
    assert [n.email for n in receipts] == ["budi@example.org", "budi@example.org"]
    codes = set(ServiceRequest.objects.values_list("code", flat=True))
    assert all(any(code in n.subject for code in codes) for n in receipts)


def test_the_worker_takes_the_mail_in_its_run(mailbox):
    from django.core.management import call_command

    mailbox.deliver(mail(), at=arrival())

    call_command("simkerma_worker", stdout=io.StringIO())

    assert ServiceRequest.objects.get().channel == Channel.EMAIL


def test_mail_that_arrived_before_the_start_date_is_left_alone(mailbox, settings):
    settings.SIMKERMA_IMAP_SINCE = (timezone.localdate() - dt.timedelta(days=5)).isoformat()
    mailbox.deliver(mail(sender="lama@example.org"), at=arrival(24 * 10))
    mailbox.deliver(mail(sender="baru@example.org"), at=arrival(1))

    poll_mailbox()

    assert list(ServiceRequest.objects.values_list("requester_email", flat=True)) == ["baru@example.org"]
    assert sorted(mailbox.flags()) == [(), ("\\Seen",)]


def test_it_bounds_the_files_and_reads_html(mailbox, settings):
    settings.SIMKERMA_IMAP_MAX_ATTACHMENTS = 2
    settings.SIMKERMA_EVIDENCE_MAX_BYTES = 2048
    big_png = png_bytes() + b"\x00" * 4096  # a valid image, over the file limit
    files = [("a.png", png_bytes(), "image/png"), ("besar.png", big_png, "image/png")]
    files += [("b.png", png_bytes(), "image/png"), ("c.png", png_bytes(), "image/png")]
    raw = mail(body="placeholder", attachments=files)
    html = (
        b"From: Ani <ani@example.org>\r\nSubject: HTML\r\nMessage-ID: <html@example.org>\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n<p>Halo <b>tim</b> kerja sama</p>\r\n"
    )
    mailbox.deliver(raw, at=arrival())
    mailbox.deliver(html, at=arrival())

    poll_mailbox()

    with_files = ServiceRequest.objects.get(requester_email="budi@example.org")
    kept = RequestAttachment.objects.filter(message__request=with_files).order_by("pk")
    assert [a.original_name for a in kept] == ["a.png", "b.png"]
    assert with_files.conversation.get().body.endswith("besar.png, c.png")
    assert ServiceRequest.objects.get(requester_email="ani@example.org").message == "Halo tim kerja sama"


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("02-Dec-2026 13:33:00 +0000", dt.datetime(2026, 12, 2, 13, 33, tzinfo=dt.UTC)),
        (" 2-Dec-2026 20:33:05 +0700", dt.datetime(2026, 12, 2, 13, 33, 5, tzinfo=dt.UTC)),
        ("31-Jan-2026 00:00:00 -0130", dt.datetime(2026, 1, 31, 1, 30, tzinfo=dt.UTC)),
        ("31-Feb-2026 00:00:00 +0000", None),
        ("02-Dez-2026 13:33:00 +0000", None),
        ("kemarin", None),
    ],
)
def test_internaldate_is_read_whatever_the_locale(text, moment):
    from simkerma.intake.imap import internal_date

    assert internal_date(text) == moment


def test_nul_characters_are_dropped_from_the_text(settings):
    # Dovecot itself replaces them, so the parser is given the message directly.
    from simkerma.intake.mail import parse_mail

    parsed = parse_mail(b"From: a@example.org\r\nSubject: x\r\n\r\nHalo\x00 tim\r\n")

    assert parsed.body == "Halo tim"


def test_a_message_with_a_50_mb_attachment_is_skipped_by_its_size_and_the_next_one_taken(mailbox):
    huge = mail(
        sender="besar@example.org",
        attachments=[("scan.pdf", b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024), "application/pdf")],
    )
    mailbox.deliver(huge, at=arrival())
    mailbox.deliver(mail(sender="kecil@example.org"), at=arrival())

    result = poll_mailbox()

    assert result is not None and (result.created, result.skipped) == (1, 1)
    assert list(ServiceRequest.objects.values_list("requester_email", flat=True)) == ["kecil@example.org"]
    assert mailbox.flags() == [("\\Seen",), ("\\Seen",)]
