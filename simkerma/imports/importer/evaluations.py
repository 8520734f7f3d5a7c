"""The Evaluasi sheet: one evaluation per agreement and year, with the three aspects' answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from simkerma.evaluations.models import Evaluation, overlaps_life
from simkerma.imports.format import EVALUASI
from simkerma.imports.importer.agreements import agreement_info, agreement_key, stored_agreements
from simkerma.imports.importer.base import Context, SheetImport, batches, create_with_history, update_with_history

FIELDS = ("year", "benefit", "performance", "kepuasan", "keberlanjutan", "notes")
CHECK_EXCLUDE = ["agreement", "reviewer", "archived_by"]


class EvaluationImport(SheetImport):
    sheet = EVALUASI
    columns = {
        "agreement": "dokumen_nomor",
        "year": "tahun",
        "benefit": "manfaat",
        "performance": "kinerja",
        "kepuasan": "kepuasan",
        "keberlanjutan": "keberlanjutan",
        "notes": "catatan",
    }

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        number_of = stored_agreements(ctx).number_of
        self.stored = {
            (agreement_key(number_of[row[1]]), row[2]): row
            for row in Evaluation.objects.values_list("pk", "agreement_id", *FIELDS, "archived_at").iterator()
        }
        self.pending: list[tuple[int | None, str, tuple[Any, ...]]] = []

    def row(self, number: int, cells: dict[str, Any]) -> None:
        raw, year = cells.get("dokumen_nomor"), cells.get("tahun")
        if raw is None or year is None:
            return
        key = agreement_key(raw)
        if self.duplicate((key, year), number, "tahun", f"{raw} {year}"):
            return
        known, info = agreement_info(self.ctx, raw)
        if not known:
            self.ctx.unknown(self.name, number, "dokumen_nomor", raw)
            return
        if info is None:
            return
        evaluation = Evaluation(
            year=year,
            benefit=cells.get("manfaat"),
            performance=cells.get("kinerja"),
            kepuasan=cells.get("kepuasan"),
            keberlanjutan=cells.get("keberlanjutan"),
            notes=cells.get("catatan") or "",
        )
        errors: dict[str, Any] = {}
        try:
            evaluation.full_clean(exclude=CHECK_EXCLUDE, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "year" not in errors and not overlaps_life(info, dt.date(year, 1, 1), dt.date(year, 12, 31)):  # type: ignore[arg-type]
            errors["year"] = [_("The agreement was not in force in %(year)s.") % {"year": year}]
        if errors:
            self.check(ValidationError(errors), number)
            return
        values = tuple(getattr(evaluation, field) for field in FIELDS)
        old = self.stored.get((key, year))
        counts = self.ctx.count(self.name)
        if old is None:
            counts.created += 1
            self.pending.append((None, key, values))
        elif tuple(old[2:-1]) == values:
            counts.unchanged += 1
        elif old[-1] is not None:
            self.ctx.problem(self.name, number, None, _("An archived evaluation cannot be changed."))
        else:
            counts.updated += 1
            self.pending.append((old[0], key, values))

    def write(self) -> None:
        ids = stored_agreements(self.ctx).ids()
        user = self.ctx.user if getattr(self.ctx.user, "pk", None) else None
        new = [
            Evaluation(agreement_id=ids[key], reviewer=user, **dict(zip(FIELDS, values, strict=True)))
            for pk, key, values in self.pending
            if pk is None
        ]
        for chunk in batches(new):
            create_with_history(Evaluation, list(chunk), ctx=self.ctx)
        changed = {pk: values for pk, _key, values in self.pending if pk is not None}
        for ids_chunk in batches(list(changed)):
            objects = list(Evaluation.objects.filter(pk__in=ids_chunk))
            for evaluation in objects:
                for field, value in zip(FIELDS, changed[evaluation.pk], strict=True):
                    setattr(evaluation, field, value)
            update_with_history(Evaluation, objects, FIELDS, ctx=self.ctx)
