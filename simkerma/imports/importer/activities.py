"""The Kegiatan sheet: activities, with the workbook's three statuses joined to the procedure.

A new activity joins the procedure at its status as `Activity.create_imported` allows; a stored one
whose status maps to the row's workbook status keeps it (a "dilaporkan" activity imported as
"terlaksana" is unchanged); any other change is the move `Activity.move(imported=True)` allows,
recorded as a transition with the reason "imported".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError

from simkerma.activities.models import (
    CONTRACT_STATUS,
    IMPORTED,
    Activity,
    ActivityKind,
    ActivityStatus,
    ActivityTransition,
    order_refusal,
)
from simkerma.core.data import KEEP, Keep
from simkerma.imports.format import COOPERATION_FORM, KEGIATAN
from simkerma.imports.importer.agreements import agreement_info, agreement_key, stored_agreements
from simkerma.imports.importer.base import (
    BATCH,
    Context,
    SheetImport,
    batches,
    create_with_history,
    update_with_history,
    write_links,
)
from simkerma.imports.importer.org import known_prodi, org, unit_kind
from simkerma.imports.lookups import lookup

FIELDS = (
    "code",
    "title",
    "kind",
    "field",
    "start_date",
    "end_date",
    "status",
    "benefit",
    "evidence",
    "cooperation_form_id",
)
STATUS_INDEX = FIELDS.index("status")
KIND_INDEX = FIELDS.index("kind")
FORM_INDEX = FIELDS.index("cooperation_form_id")
# The workbook's status -> the status a new activity takes.
INTERNAL = {
    "rencana": ActivityStatus.RENCANA,
    "terlaksana": ActivityStatus.TERLAKSANA,
    "batal": ActivityStatus.BATAL,
}
CHECK_EXCLUDE = ["agreement", "pic", "partner_contact", "created_by", "status", "units", "prodi"]


class ActivityImport(SheetImport):
    sheet = KEGIATAN
    columns = {
        "code": "kode",
        "agreement": "dokumen_nomor",
        "title": "judul",
        "field": "bidang",
        "prodi": "prodi_kode",
        "units": "unit_kode",
        "start_date": "tanggal_mulai",
        "end_date": "tanggal_selesai",
        "status": "status",
        "benefit": "manfaat",
        "evidence": "bukti",
        "kind": "jenis_kegiatan",
    }

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.buffer: list[tuple[int, tuple[Any, ...], str, tuple[str, ...], tuple[str, ...]]] = []
        # (row, stored pk or None, values, agreement key, unit codes, prodi codes, status moved from)
        self.pending: list[tuple[int, int | None, tuple[Any, ...], str, tuple[str, ...], tuple[str, ...], str]] = []
        self.touched: list[int] = []
        self.shared: dict[Any, Any] = {}

    def row(self, number: int, cells: dict[str, Any]) -> None:
        code = cells.get("kode")
        if code is None or self.duplicate(code, number, "kode", code):
            return
        ok = all(
            cells.get(column) is not None for column in ("dokumen_nomor", "judul", "bidang", "tanggal_mulai", "status")
        )
        number_given = cells.get("dokumen_nomor")
        if number_given is not None:
            known, _info = agreement_info(self.ctx, number_given)
            if not known:
                self.ctx.unknown(self.name, number, "dokumen_nomor", number_given)
            ok = ok and _info is not None
        units, prodi = tuple(cells.get("unit_kode") or ()), tuple(cells.get("prodi_kode") or ())
        for unit in units:
            if unit_kind(self.ctx, unit) is None:
                self.ctx.unknown(self.name, number, "unit_kode", unit)
                ok = False
        for item in prodi:
            if not known_prodi(self.ctx, item):
                self.ctx.unknown(self.name, number, "prodi_kode", item)
                ok = False
        if not ok:
            return
        activity = Activity(
            code=code,
            title=cells["judul"],
            kind=cells.get("jenis_kegiatan") or ActivityKind.LAINNYA,
            field=cells["bidang"],
            start_date=cells["tanggal_mulai"],
            end_date=cells.get("tanggal_selesai"),
            benefit=cells.get("manfaat") or "",
            evidence=cells.get("bukti") or "",
        )
        errors: dict[str, Any] = {}
        try:
            activity.clean_fields(exclude=CHECK_EXCLUDE)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field, message in activity.date_refusals().items():
            errors.setdefault(field, []).append(message)
        if errors:
            self.check(ValidationError(errors), number)
            return
        activity.status = cells["status"]  # the workbook's status until compared with the stored one
        # Equal dates and agreement keys are shared between rows: a sheet of 600,000 activities
        # keeps a few thousand of each, not one per row.
        values = tuple(
            self.shared.setdefault(v, v) if isinstance(v, dt.date) else v
            for v in (getattr(activity, f) for f in FIELDS)
        )
        if "jenis_kegiatan" not in self.present or cells.get("jenis_kegiatan") is None:
            values = (*values[:KIND_INDEX], None, *values[KIND_INDEX + 1 :])  # the stored kind stays
        form = self.cooperation_form(number, cells)
        if form is False:
            return
        values = (*values[:FORM_INDEX], form, *values[FORM_INDEX + 1 :])
        key = agreement_key(number_given or "")
        self.buffer.append((number, values, self.shared.setdefault(key, key), units, prodi))
        if len(self.buffer) >= BATCH:
            self.flush()

    def cooperation_form(self, number: int, cells: dict[str, Any]) -> int | Keep | bool | None:
        """The form of cooperation's id: the cell's, KEEP without the column (the stored one stays),
        False when the code is unknown."""
        if "bentuk_kerjasama" not in self.present:
            return KEEP
        value = cells.get("bentuk_kerjasama")
        if value is None:
            return None
        forms = lookup(self.ctx, COOPERATION_FORM)
        found = forms.find(value)
        if found is None:
            self.ctx.problem(self.name, number, "bentuk_kerjasama", forms.refusal(value))
            return False
        return found

    def finish(self) -> None:
        self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        rows, self.buffer = self.buffer, []
        number_of = stored_agreements(self.ctx).number_of
        stored = {
            row[1]: row
            for row in Activity.objects.filter(code__in=[values[0] for _n, values, *_rest in rows]).values_list(
                "pk", *FIELDS, "agreement_id"
            )
        }
        links: dict[int, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
        pks = [row[0] for row in stored.values()]
        if pks:
            for activity_id, code in Activity.units.through.objects.filter(activity_id__in=pks).values_list(
                "activity_id", "unit__code"
            ):
                links[activity_id][0].add(code)
            for activity_id, code in Activity.prodi.through.objects.filter(activity_id__in=pks).values_list(
                "activity_id", "prodi__code"
            ):
                links[activity_id][1].add(code)
        counts = self.ctx.count(self.name)
        for number, values, key, units, prodi in rows:
            old = stored.get(values[0])
            contract = values[STATUS_INDEX]
            if old is None:
                status = INTERNAL[contract]
                problem = (
                    ""
                    if status == ActivityStatus.RENCANA
                    else order_refusal(ActivityStatus.RENCANA, status, imported=True)
                )
                if problem:
                    self.ctx.problem(self.name, number, "status", problem)
                    continue
                values = self._with(values, status, ActivityKind.LAINNYA, None)
                counts.created += 1
                self.pending.append((number, None, values, key, units, prodi, ""))
                continue
            stored_values = old[1:-1]
            current = old[1 + STATUS_INDEX]
            moved_from = ""
            if CONTRACT_STATUS[ActivityStatus(current)] == contract:
                status = current
            else:
                status = INTERNAL[contract]
                problem = order_refusal(current, status, imported=True)
                if problem:
                    self.ctx.problem(self.name, number, "status", problem)
                    continue
                moved_from = current
            values = self._with(values, status, old[1 + KIND_INDEX], old[1 + FORM_INDEX])
            old_key = agreement_key(number_of.get(old[-1], ""))
            same = tuple(stored_values) == values and old_key == key and links[old[0]] == (set(units), set(prodi))
            if same:
                counts.unchanged += 1
            else:
                counts.updated += 1
                self.pending.append((number, old[0], values, key, units, prodi, moved_from))

    @staticmethod
    def _with(values: tuple[Any, ...], status: str, stored_kind: str, stored_form: int | None) -> tuple[Any, ...]:
        kind = values[KIND_INDEX] if values[KIND_INDEX] is not None else stored_kind
        form = values[FORM_INDEX] if values[FORM_INDEX] is not KEEP else stored_form
        as_list = list(values)
        as_list[STATUS_INDEX], as_list[KIND_INDEX], as_list[FORM_INDEX] = status, kind, form
        return tuple(as_list)

    def write(self) -> None:
        ids = stored_agreements(self.ctx).ids()
        units, prodi = org(self.ctx).unit_ids(), org(self.ctx).prodi_ids()
        user = self.ctx.user if getattr(self.ctx.user, "pk", None) else None

        def link_ids(chunk: Any) -> dict[str, list[list[int]]]:
            return {
                "units": [[units[code] for code in item[4]] for item in chunk],
                "prodi": [[prodi[code] for code in item[5]] for item in chunk],
            }

        new = [item for item in self.pending if item[1] is None]
        for chunk in batches(new):
            objects = [
                Activity(agreement_id=ids[key], created_by=user, **dict(zip(FIELDS, values, strict=True)))
                for _n, _pk, values, key, *_rest in chunk
            ]
            created = create_with_history(Activity, objects, ctx=self.ctx)
            write_links(Activity, "activity", created, link_ids(chunk), replace=False)
            self.touched.extend(obj.pk for obj in created)
        changed = [item for item in self.pending if item[1] is not None]
        for chunk in batches(changed):
            by_pk = Activity.objects.in_bulk([item[1] for item in chunk])
            objects, transitions = [], []
            for _n, pk, values, key, _units, _prodi, moved_from in chunk:
                activity = by_pk[pk]
                for field, value in zip(FIELDS, values, strict=True):
                    setattr(activity, field, value)
                activity.agreement_id = ids[key]
                if moved_from:
                    if activity.status == ActivityStatus.BATAL:
                        activity.cancel_reason = IMPORTED
                    transitions.append(
                        ActivityTransition(
                            activity_id=activity.pk,
                            from_status=moved_from,
                            to_status=activity.status,
                            user=user,
                            reason=IMPORTED,
                            at=self.ctx.now,
                        )
                    )
                objects.append(activity)
            update_with_history(Activity, objects, [*FIELDS, "agreement_id", "cancel_reason"], ctx=self.ctx)
            write_links(Activity, "activity", objects, link_ids(chunk), replace=True)
            ActivityTransition.objects.bulk_create(transitions)
            self.touched.extend(obj.pk for obj in objects)
