"""MoU / MoA / IA drafts: the placeholders a template may use, checking uploaded templates,
filling a template with docxtpl, and the versions sent to the requester."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from docx import Document
from docxtpl import DocxTemplate
from jinja2 import TemplateError, meta, nodes

from simkerma.agreements.models import Kind as DocumentKind
from simkerma.core.concurrency import submission_claim, submission_record
from simkerma.core.history import change_reason, reason_template
from simkerma.core.numbering import save_with_code
from simkerma.core.ooxml import check_ooxml_package
from simkerma.core.staging import StagedFiles
from simkerma.core.text import mail_subject
from simkerma.servicedesk.models import DocumentTemplate, DraftVersion, ServiceRequest
from simkerma.servicedesk.permissions import can_handle_requests, can_manage_templates
from simkerma.servicedesk.rules import moment_not_before
from simkerma.servicedesk.services import service_request_draft_delivered
from simkerma.servicedesk.starter_templates import starter_template_path
from simkerma.servicedesk.template_safety import DraftSandbox, refused_uses

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# name -> description, or name -> {attribute: description} for an object.
PLACEHOLDERS: dict[str, Any] = {
    "number": gettext_lazy("The institution's number for the document, e.g. 001/MOU.PL29/XI/2026."),
    "partner_number": gettext_lazy("The partner's own number for the document, if known."),
    "request_code": gettext_lazy("The service request's code, e.g. LYN-2026-0001."),
    "title": gettext_lazy("What the cooperation is about (TENTANG / ON)."),
    "document": {
        "short": gettext_lazy("MoU, MoA/PKS or IA."),
        "title_id": gettext_lazy("The document's title in Indonesian, e.g. NOTA KESEPAHAMAN."),
        "title_en": gettext_lazy("The document's title in English, e.g. MEMORANDUM OF UNDERSTANDING."),
    },
    "institution": {
        "name": gettext_lazy("The institution's name."),
        "address": gettext_lazy("The institution's address."),
        "signatory_name": gettext_lazy("Who signs for the institution."),
        "signatory_position": gettext_lazy("The signatory's position, in Indonesian (e.g. Direktur)."),
        "signatory_position_en": gettext_lazy("The signatory's position, in English (e.g. Director)."),
        "contact_name": gettext_lazy("The cooperation staff member to contact."),
        "contact_email": gettext_lazy("Their e-mail address."),
        "contact_phone": gettext_lazy("Their phone or WhatsApp number."),
    },
    "partner": {
        "name": gettext_lazy("The partner's name."),
        "address": gettext_lazy("The partner's address."),
        "signatory_name": gettext_lazy("Who signs for the partner."),
        "signatory_position": gettext_lazy("The partner signatory's position."),
        "pic": gettext_lazy("The partner's person in charge (PIC)."),
        "email": gettext_lazy("The partner's e-mail address for correspondence."),
        "phone": gettext_lazy("The partner's phone or WhatsApp number."),
    },
    "scope": gettext_lazy(
        "The scope items, a list: {%p for item in scope %} … {{ loop.index }}. {{ item }} … {%p endfor %}."
    ),
    "duration_years": gettext_lazy("The duration in years, as a number."),
    "duration_words_id": gettext_lazy("The duration in words, in Indonesian (e.g. lima)."),
    "duration_words_en": gettext_lazy("The duration in words, in English (e.g. five)."),
    "start_date_id": gettext_lazy("Start date in Indonesian (e.g. 1 Desember 2026); empty if not set."),
    "start_date_en": gettext_lazy("Start date in English (e.g. 1 December 2026); empty if not set."),
    "end_date_id": gettext_lazy("End date in Indonesian; empty if not set."),
    "end_date_en": gettext_lazy("End date in English; empty if not set."),
    "parent_number": gettext_lazy("The number of the MoU (or MoA) this document implements, if any."),
    "place": gettext_lazy("Where the document is signed, if known."),
    "date_id": gettext_lazy("The signing date in Indonesian, if known."),
    "date_en": gettext_lazy("The signing date in English, if known."),
    "today_id": gettext_lazy("The date the draft was made, in Indonesian."),
    "today_en": gettext_lazy("The date the draft was made, in English."),
}

KIND_TITLES = {
    DocumentKind.MOU: ("MoU", "NOTA KESEPAHAMAN", "MEMORANDUM OF UNDERSTANDING"),
    DocumentKind.MOA: ("MoA/PKS", "PERJANJIAN KERJA SAMA", "COOPERATION AGREEMENT"),
    DocumentKind.IA: ("IA", "PENGATURAN PELAKSANAAN", "IMPLEMENTATION ARRANGEMENT"),
}
MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WORDS_ID = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh")
WORDS_EN = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
POSITIONS_EN = {"direktur": "Director", "wakil direktur": "Vice Director", "rektor": "Rector"}


def date_id(day: dt.date | None) -> str:
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}" if day else ""


def date_en(day: dt.date | None) -> str:
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}" if day else ""


def _words(number: int, words: tuple[str, ...]) -> str:
    return words[number] if 0 <= number < len(words) else str(number)


def _parse_date(value: Any) -> dt.date | None:
    if not value:
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def build_context(request: ServiceRequest, values: dict[str, Any]) -> dict[str, Any]:
    """The template variables from the draft form's values (as stored in DraftVersion.context)."""
    kind = values["document_kind"]
    short, title_id, title_en = KIND_TITLES[DocumentKind(kind)]
    start, end = _parse_date(values.get("start_date")), _parse_date(values.get("end_date"))
    signing = _parse_date(values.get("signing_date"))
    years = int(values.get("duration_years") or 0)
    position = values.get("institution_signatory_position", "")
    today = timezone.localdate()
    return {
        "number": values.get("number", ""),
        "partner_number": values.get("partner_number", ""),
        "request_code": request.code,
        "title": values.get("title", ""),
        "document": {"short": short, "title_id": title_id, "title_en": title_en},
        "institution": {
            "name": settings.SIMKERMA_INSTITUTION_NAME,
            "address": settings.SIMKERMA_INSTITUTION_ADDRESS,
            "signatory_name": values.get("institution_signatory_name", ""),
            "signatory_position": position,
            "signatory_position_en": POSITIONS_EN.get(position.strip().lower(), position),
            "contact_name": values.get("contact_name", ""),
            "contact_email": values.get("contact_email", ""),
            "contact_phone": values.get("contact_phone", ""),
        },
        "partner": {
            "name": values.get("partner_name", ""),
            "address": values.get("partner_address", ""),
            "signatory_name": values.get("partner_signatory_name", ""),
            "signatory_position": values.get("partner_signatory_position", ""),
            "pic": values.get("partner_pic", ""),
            "email": values.get("partner_email", ""),
            "phone": values.get("partner_phone", ""),
        },
        "scope": [line.strip() for line in str(values.get("scope", "")).splitlines() if line.strip()],
        "duration_years": years,
        "duration_words_id": _words(years, WORDS_ID),
        "duration_words_en": _words(years, WORDS_EN),
        "start_date_id": date_id(start),
        "start_date_en": date_en(start),
        "end_date_id": date_id(end),
        "end_date_en": date_en(end),
        "parent_number": values.get("parent_number", ""),
        "place": values.get("place", ""),
        "date_id": date_id(signing),
        "date_en": date_en(signing),
        "today_id": date_id(today),
        "today_en": date_en(today),
    }


def _sample(value: Any, name: str) -> Any:
    if isinstance(value, dict):
        return {attribute: f"{name}.{attribute}" for attribute in value}
    if name == "scope":
        return ["scope item 1", "scope item 2"]
    if name == "duration_years":
        return 5
    return name


SAMPLE_CONTEXT = {name: _sample(value, name) for name, value in PLACEHOLDERS.items()}


# -- checking templates ---------------------------------------------------------------------------


@dataclass
class TemplateCheck:
    unknown: list[str]
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.unknown and not self.error


def _template_xml(template: DocxTemplate) -> str:
    template.init_docx()
    xml = template.patch_xml(template.get_xml())
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        for _key, part in template.get_headers_footers(uri):
            xml += template.patch_xml(template.get_part_xml(part))
    properties = template.docx.core_properties
    for name in ("author", "comments", "identifier", "language", "subject", "title"):
        xml += getattr(properties, name) or ""  # docxtpl fills these too
    for part in template.docx.part.package.parts:
        if part.content_type.endswith(".footnotes+xml"):
            xml += template.patch_xml(part.blob.decode("utf-8"))
    return xml


def docx_readable(upload: IO[bytes]) -> bool:
    upload.seek(0)
    if not zipfile.is_zipfile(upload):
        upload.seek(0)
        return False
    check_ooxml_package(upload)  # a zip bomb is refused with its own message
    try:
        Document(io.BytesIO(upload.read()))
    except Exception:  # python-docx raises many kinds of errors for files that are not .docx
        return False
    finally:
        upload.seek(0)
    return True


def check_template(upload: IO[bytes]) -> TemplateCheck:
    """Whether a .docx is a template we can fill: readable, valid Jinja, and known placeholders only."""
    upload.seek(0)
    if not zipfile.is_zipfile(upload):
        return TemplateCheck([], _("This file is not a Word document (.docx)."))
    try:
        check_ooxml_package(upload)
    except ValidationError as error:
        return TemplateCheck([], " ".join(error.messages))
    content = upload.read()
    upload.seek(0)
    try:
        xml = _template_xml(DocxTemplate(io.BytesIO(content)))
    except Exception:  # python-docx raises many kinds of errors for files that are not .docx
        return TemplateCheck([], _("This file is not a Word document (.docx) that can be read."))
    environment = DraftSandbox()
    try:
        tree = environment.parse(xml)
        environment.from_string(xml)  # also catches unknown filters and tests
    except TemplateError as error:
        message = getattr(error, "message", None) or str(error)
        return TemplateCheck([], _("The template's placeholders cannot be read: %(error)s") % {"error": message})
    unknown = sorted(set(_unknown_placeholders(tree)) | set(refused_uses(tree, PLACEHOLDERS)))
    if unknown:
        return TemplateCheck(unknown)
    try:
        render_docx(io.BytesIO(content), SAMPLE_CONTEXT)
    except Exception as error:  # a template error only filling reveals (e.g. a loop over a name)
        return TemplateCheck([], _("The template cannot be filled: %(error)s") % {"error": error})
    return TemplateCheck([])


def _unknown_placeholders(tree: nodes.Template) -> list[str]:
    undeclared = meta.find_undeclared_variables(tree)
    unknown = {name for name in undeclared if name not in PLACEHOLDERS}
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        target = node.node  # type: ignore[attr-defined]
        if not isinstance(target, nodes.Name) or target.name not in undeclared:
            continue
        attributes = PLACEHOLDERS.get(target.name)
        if isinstance(node, nodes.Getattr):
            attribute = node.attr
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            attribute = node.arg.value
        else:
            continue
        if isinstance(attributes, dict):
            known = attribute in attributes
        else:  # a plain value: only its string methods (e.g. title.upper()) make sense
            known = target.name not in PLACEHOLDERS or hasattr(str, attribute)
        if not known:
            unknown.add(f"{target.name}.{attribute}")
    return sorted(unknown)


def placeholder_docs() -> list[tuple[str, str]]:
    """(placeholder, description) for the upload page."""
    rows: list[tuple[str, str]] = []
    for name, value in PLACEHOLDERS.items():
        if isinstance(value, dict):
            rows += [(f"{{{{ {name}.{attribute} }}}}", str(text)) for attribute, text in value.items()]
        else:
            rows.append((f"{{{{ {name} }}}}", str(value)))
    return rows


# -- filling ------------------------------------------------------------------------------------


def active_template(kind: str) -> DocumentTemplate | None:
    return DocumentTemplate.objects.filter(document_kind=kind, is_active=True).order_by("-uploaded_at", "-pk").first()


def render_docx(source: IO[bytes] | str, context: dict[str, Any]) -> bytes:
    template = DocxTemplate(source)
    template.render(context, jinja_env=DraftSandbox(), autoescape=True)
    output = io.BytesIO()
    template.save(output)
    return output.getvalue()


def _render_for(kind: str, context: dict[str, Any]) -> tuple[bytes, str]:
    uploaded = active_template(kind)
    if uploaded is not None:
        with uploaded.file.open("rb") as handle:
            return render_docx(io.BytesIO(handle.read()), context), uploaded.name
    return render_docx(str(starter_template_path(kind)), context), _("Simkerma starter template")


def _next_number(request: ServiceRequest) -> int:
    return (request.drafts.aggregate(last=Max("number"))["last"] or 0) + 1


DRAFT_FORM = "servicedesk.draft"
DRAFT_DELIVERED = reason_template(gettext_noop("draft v%(number)s delivered"))


def _require_handler(user: Any) -> None:
    if not can_handle_requests(user):
        raise PermissionDenied


def _save_version(draft: DraftVersion, content: bytes, token: str | None = None) -> DraftVersion:
    """Create the next version; two people saving at once get consecutive numbers.

    The file is written before the transaction and moved to its final name when it commits, so a
    failed or interrupted save leaves no file. The same form sent twice (the same token) makes one
    version: AlreadySubmitted names it.
    """
    with StagedFiles() as files:
        files.stage(draft.file, "draft.docx", ContentFile(content))
        with transaction.atomic():
            claim = submission_claim(token, purpose=DRAFT_FORM)
            # Numbered per request rather than by a code prefix: the next number after the request's last.
            save_with_code(
                draft,
                save=draft.save,
                next_code=lambda: _next_number(draft.request),
                field="number",
            )
            submission_record(claim, draft)
            files.publish()
            return draft


def draft_generate(
    *, request: ServiceRequest, values: dict[str, Any], user: Any, token: str | None = None
) -> DraftVersion:
    """Fill the kind's template with the form's values and keep the result as the next version."""
    _require_handler(user)
    kind = values["document_kind"]
    try:
        content, template_name = _render_for(kind, build_context(request, values))
    except TemplateError as error:  # a template refused by the sandbox (e.g. one uploaded before its checks)
        raise ValidationError(
            _("The template cannot be filled: %(error)s") % {"error": error}, code="template"
        ) from error
    stored = {key: (value.isoformat() if isinstance(value, dt.date) else value) for key, value in values.items()}
    draft = DraftVersion(
        request=request,
        document_kind=kind,
        context=stored,
        template_name=template_name,
        created_by=user,
        created_at=timezone.now(),
    )
    return _save_version(draft, content, token)


def draft_upload(
    *, request: ServiceRequest, upload: Any, document_kind: str, note: str, user: Any, token: str | None = None
) -> DraftVersion:
    """Keep a draft edited outside Simkerma (e.g. after the partner's comments) as the next version."""
    _require_handler(user)
    latest = request.drafts.order_by("-number").first()
    draft = DraftVersion(
        request=request,
        document_kind=document_kind,
        context=latest.context if latest else {},
        template_name=_("uploaded"),
        note=note,
        created_by=user,
        created_at=timezone.now(),
    )
    upload.seek(0)
    return _save_version(draft, upload.read(), token)


def _mark_delivered(draft: DraftVersion, at: dt.datetime, to: str) -> None:
    request = draft.request
    draft.sent_at = at
    draft.sent_to = to[:255]
    draft.save(update_fields=["sent_at", "sent_to"])
    service_request_draft_delivered(request=request, at=at)
    request._change_reason = change_reason(DRAFT_DELIVERED, number=draft.number)  # type: ignore[attr-defined]
    request.save()


def draft_send(*, draft: DraftVersion, to: str, message: str, user: Any) -> DraftVersion:
    """E-mail the version (DOCX attached) to the requester; the moment it leaves stops the draft clock.

    The mail goes out before anything is recorded, so a refused mail records nothing.
    """
    _require_handler(user)
    request = draft.request
    subject = _("Draft %(kind)s for %(code)s: %(subject)s") % {
        "kind": draft.get_document_kind_display(),
        "code": request.code,
        "subject": request.subject,
    }
    email = EmailMessage(subject=mail_subject(subject), body=message, to=[to], reply_to=_reply_to(user))
    with draft.file.open("rb") as handle:
        email.attach(draft.filename, handle.read(), DOCX_MIME)
    email.send(fail_silently=False)
    with transaction.atomic():
        _mark_delivered(draft, timezone.now(), to)
    return draft


def _reply_to(user: Any) -> list[str]:
    address = getattr(user, "email", "")
    return [address] if address else []


@transaction.atomic
def draft_record_delivery(*, draft: DraftVersion, at: dt.datetime, how: str, user: Any) -> DraftVersion:
    """The version reached the requester another way (WhatsApp, handed over): record when."""
    _require_handler(user)
    request = draft.request
    if at > timezone.now():
        raise ValidationError({"at": _("This moment is in the future.")}, code="future")
    at = moment_not_before(at, draft.created_at)
    if at < draft.created_at:
        raise ValidationError({"at": _("This is before the version was made.")}, code="before_version")
    if at < request.received_at:
        raise ValidationError({"at": _("This is before the request came in.")}, code="before_received")
    _mark_delivered(draft, at, how)
    return draft


def template_upload(*, document_kind: str, name: str, upload: Any, user: Any) -> DocumentTemplate:
    """The new template replaces the kind's previous one (kept, inactive, for the record).

    The file is written before the transaction and moved to its final name when it commits.
    """
    if not can_manage_templates(user):
        raise PermissionDenied
    template = DocumentTemplate(document_kind=document_kind, name=name, uploaded_by=user)
    with StagedFiles() as files:
        files.stage(template.file, f"{document_kind}.docx", upload)
        with transaction.atomic():
            DocumentTemplate.objects.filter(document_kind=document_kind, is_active=True).update(is_active=False)
            template.save()
            files.publish()
    return template
