"""The Layanan sheet: service requests with their moments; Simkerma computes their clocks.

The deadlines are computed as every intake computes them (servicedesk.clocks.clocks_compute, with
the calendar in force when the request came in). No receipt is e-mailed for an imported request.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from simkerma.imports.format import LAYANAN
from simkerma.imports.importer.agreements import known_partner, partner_codes_now
from simkerma.imports.importer.base import (
    BATCH,
    Context,
    SheetImport,
    batches,
    create_with_history,
    update_with_history,
)
from simkerma.partners.models import Partner
from simkerma.servicedesk.clocks import clocks_compute
from simkerma.servicedesk.models import (
    CLOCKS,
    DOCUMENT_KINDS_WANTED,
    KIND_FOR_JENIS,
    CalendarVersion,
    Jenis,
    RequestKind,
    ServiceRequest,
    StageChange,
)
from simkerma.servicedesk.rules import done_moment

FIELDS = (
    "code",
    "channel",
    "kind",
    "from_partner",
    "partner",
    "received_at",
    "responded_at",
    "draft_sent_at",
    "followed_up_at",
    "subject",
    "requester_name",
)
CLOCK_FIELDS = (
    *(name for clock in CLOCKS for name in (clock.due, clock.soon, clock.late)),
    "calendar_version_id",
    "next_due_at",
)
DONE_COLUMNS = {"responded_at": "direspons", "draft_sent_at": "draf_dikirim", "followed_up_at": "ditindaklanjuti"}
CHECK_EXCLUDE = [
    "partner",
    "calendar_version",
    "assigned_to",
    "logged_by",
    "agreement",
    "discarded_by",
    "token",
    "document_kind",
]


def kind_for(jenis: str) -> str:
    """The request kind a new row becomes (servicedesk.KIND_FOR_JENIS).

    A kind that must name the document wanted becomes a new-cooperation request, which is a
    document draft request too, since the workbook does not say which document is wanted.
    """
    kind = KIND_FOR_JENIS[Jenis(jenis)]
    return RequestKind.NEW_COOPERATION if kind in DOCUMENT_KINDS_WANTED else kind


def jenis_of(kind: str) -> str:
    return ServiceRequest(kind=kind).jenis


class RequestImport(SheetImport):
    sheet = LAYANAN
    columns = {
        "code": "kode",
        "channel": "kanal",
        "kind": "jenis",
        "from_partner": "dari_mitra",
        "partner": "mitra_kode",
        "received_at": "diterima",
        "responded_at": "direspons",
        "draft_sent_at": "draf_dikirim",
        "followed_up_at": "ditindaklanjuti",
        "subject": "perihal",
        "requester_name": "pemohon",
    }

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.buffer: list[tuple[int, dict[str, Any]]] = []
        self.pending: list[tuple[int | None, tuple[Any, ...]]] = []
        self._names: dict[str, str] | None = None

    def partner_name(self, code: str) -> str:
        defined = self.ctx.defined.get("Mitra", {})
        if isinstance(defined.get(code), str):
            return defined[code]  # type: ignore[no-any-return]
        if self._names is None:
            self._names = dict(Partner.objects.values_list("code", "name"))
        return self._names.get(code, "")

    def row(self, number: int, cells: dict[str, Any]) -> None:
        code = cells.get("kode")
        if code is None or self.duplicate(code, number, "kode", code):
            return
        if any(cells.get(column) is None for column in ("kanal", "jenis", "diterima")):
            return
        partner = cells.get("mitra_kode")
        if partner is not None and not known_partner(self.ctx, partner):
            self.ctx.unknown(self.name, number, "mitra_kode", partner)
            return
        request = ServiceRequest(
            code=code,
            channel=cells["kanal"],
            kind=kind_for(cells["jenis"]),
            from_partner=bool(cells.get("dari_mitra")),
            received_at=cells["diterima"],
            responded_at=cells.get("direspons"),
            draft_sent_at=cells.get("draf_dikirim"),
            followed_up_at=cells.get("ditindaklanjuti"),
            subject=cells.get("perihal") or code,
            requester_name=cells.get("pemohon") or "-",
        )
        errors: dict[str, Any] = {}
        try:
            request.clean_fields(exclude=CHECK_EXCLUDE)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            request.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in DONE_COLUMNS:
            at = getattr(request, field)
            if at is not None and "received_at" not in errors:
                try:
                    setattr(request, field, done_moment(request, at, field=field))
                except ValidationError as error:
                    if error.error_dict[field][0].code == "future":
                        errors = error.update_error_dict(errors)
        if errors:
            self.check(ValidationError(errors), number)
            return
        values = {
            "code": code,
            "channel": request.channel,
            "jenis": cells["jenis"],
            "from_partner": request.from_partner,
            "partner": partner,
            "received_at": request.received_at,
            "responded_at": request.responded_at,
            "draft_sent_at": request.draft_sent_at,
            "followed_up_at": request.followed_up_at,
            "subject": cells.get("perihal") and request.subject,
            "requester_name": cells.get("pemohon") and request.requester_name,
        }
        self.buffer.append((number, values))
        if len(self.buffer) >= BATCH:
            self.flush()

    def finish(self) -> None:
        self.flush()

    def derived_subject(self, code: str, jenis: str) -> str:
        with translation.override(settings.LANGUAGE_CODE):
            return f"{Jenis(jenis).label} {code}"[:255]

    def derived_requester(self, partner: str | None) -> str:
        name = self.partner_name(partner) if partner else ""
        if name:
            return name[:150]
        with translation.override(settings.LANGUAGE_CODE):
            return _("Unknown")

    def flush(self) -> None:
        if not self.buffer:
            return
        rows, self.buffer = self.buffer, []
        stored = {
            row[1]: row
            for row in ServiceRequest.objects.filter(code__in=[values["code"] for _n, values in rows]).values_list(
                "pk",
                "code",
                "channel",
                "kind",
                "from_partner",
                "partner__code",
                "received_at",
                "responded_at",
                "draft_sent_at",
                "followed_up_at",
                "subject",
                "requester_name",
            )
        }
        counts = self.ctx.count(self.name)
        for _number, values in rows:
            old = stored.get(values["code"])
            # The stored kind stays when it is the same workbook kind.
            same_jenis = old is not None and jenis_of(old[3]) == values["jenis"]
            kind = old[3] if old is not None and same_jenis else kind_for(values["jenis"])
            subject = values["subject"] or (old[10] if old else self.derived_subject(values["code"], values["jenis"]))
            requester = values["requester_name"] or (old[11] if old else self.derived_requester(values["partner"]))
            row = (
                values["code"],
                values["channel"],
                kind,
                values["from_partner"],
                values["partner"],
                values["received_at"],
                values["responded_at"],
                values["draft_sent_at"],
                values["followed_up_at"],
                subject,
                requester,
            )
            if old is None:
                counts.created += 1
                self.pending.append((None, row))
            elif tuple(old[1:]) == row:
                counts.unchanged += 1
            else:
                counts.updated += 1
                self.pending.append((old[0], row))

    def write(self) -> None:
        partners = partner_codes_now(self.ctx)
        versions = list(CalendarVersion.objects.order_by("-effective_from", "-pk"))
        user = self.ctx.user if getattr(self.ctx.user, "pk", None) else None

        def fill(request: ServiceRequest, row: tuple[Any, ...]) -> ServiceRequest:
            values = dict(zip(FIELDS, row, strict=True))
            partner = values.pop("partner")
            for field, value in values.items():
                setattr(request, field, value)
            request.partner_id = partners[partner] if partner else None
            clocks_compute(request, versions=versions)
            return request

        for chunk in batches([row for pk, row in self.pending if pk is None]):
            created = create_with_history(
                ServiceRequest, [fill(ServiceRequest(logged_by=user), row) for row in chunk], ctx=self.ctx
            )
            StageChange.objects.bulk_create(
                [
                    StageChange(
                        request=request,
                        from_stage="",
                        to_stage=request.stage,
                        changed_by=user,
                        changed_at=self.ctx.now,
                        note=request.get_channel_display(),
                    )
                    for request in created
                ],
                batch_size=BATCH,
            )
        changed = [(pk, row) for pk, row in self.pending if pk is not None]
        fields = [*[f for f in FIELDS if f != "partner"], "partner_id", *CLOCK_FIELDS]
        for chunk in batches(changed):
            by_pk = ServiceRequest.objects.in_bulk([pk for pk, _row in chunk])
            update_with_history(ServiceRequest, [fill(by_pk[pk], row) for pk, row in chunk], fields, ctx=self.ctx)
