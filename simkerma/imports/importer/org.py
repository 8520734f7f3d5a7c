"""The Unit and Prodi sheets: units of the institution and their study programmes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from simkerma.imports.format import PRODI, UNIT
from simkerma.imports.importer.base import Context, SheetImport, batches
from simkerma.org.models import Instrument, Prodi, Unit

EXPECTED = Unit._meta.get_field("expected_fields")


def expected_list(value: Any) -> list[str]:
    return EXPECTED.split(value)  # type: ignore[attr-defined, no-any-return]


class Org:
    """The stored units and prodi, loaded once (both tables are small)."""

    def __init__(self) -> None:
        self.units: dict[str, tuple[int, str, str, list[str]]] = {
            code: (pk, name, kind, expected_list(expected))
            for pk, code, name, kind, expected in Unit.objects.values_list(
                "pk", "code", "name", "kind", "expected_fields"
            )
        }
        unit_code = {pk: code for code, (pk, *_rest) in self.units.items()}
        self.prodi: dict[str, tuple[int, str, str, str, int | None, int | None, str]] = {
            code: (pk, name, level, unit_code[unit_id], active_from, active_until, instrument)
            for pk, code, name, level, unit_id, active_from, active_until, instrument in Prodi.objects.values_list(
                "pk", "code", "name", "level", "unit_id", "active_from", "active_until", "instrument"
            )
        }

    def unit_ids(self) -> dict[str, int]:
        return dict(Unit.objects.values_list("code", "pk"))

    def prodi_ids(self) -> dict[str, int]:
        return dict(Prodi.objects.values_list("code", "pk"))


def org(ctx: Context) -> Org:
    if not hasattr(ctx, "org"):
        ctx.org = Org()  # type: ignore[attr-defined]
    return ctx.org  # type: ignore[attr-defined, no-any-return]


def unit_kind(ctx: Context, code: str) -> str | None:
    """The kind of a unit the workbook or Simkerma defines (None: unknown; "": its row is refused)."""
    defined = ctx.defined.get(UNIT.name, {})
    if code in defined:
        return defined[code]  # type: ignore[no-any-return]
    stored = org(ctx).units.get(code)
    return stored[2] if stored else None


def known_prodi(ctx: Context, code: str) -> bool:
    return code in ctx.defined.get(PRODI.name, {}) or code in org(ctx).prodi


class UnitImport(SheetImport):
    sheet = UNIT
    columns = {"code": "kode", "name": "nama", "kind": "jenis", "expected_fields": "bidang_wajib"}

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.pending: list[tuple[int, int | None, str, str, str, list[str]]] = []
        self.defined = ctx.defined.setdefault(self.name, {})

    def row(self, number: int, cells: dict[str, Any]) -> None:
        code = cells.get("kode")
        if code is None or self.duplicate(code, number, "kode", code):
            return
        self.defined[code] = cells.get("jenis") or ""  # "": defined, by a row refused for its kind
        if any(cells.get(column) is None for column in ("nama", "jenis")):
            return
        kind: str = cells["jenis"]
        stored = org(self.ctx).units.get(code)
        expected = list(cells.get("bidang_wajib") or ()) or Unit.default_expected_fields(kind)
        unit = Unit(
            pk=stored[0] if stored else None, code=code, name=cells["nama"], kind=kind, expected_fields=expected
        )
        try:
            unit.full_clean(validate_unique=False)
        except ValidationError as error:
            self.check(error, number)
            return
        values = (unit.name, unit.kind, expected_list(unit.expected_fields))
        counts = self.ctx.count(self.name)
        if stored and (stored[1], stored[2], stored[3]) == values:
            counts.unchanged += 1
            return
        if stored:
            counts.updated += 1
        else:
            counts.created += 1
        self.pending.append((number, stored[0] if stored else None, code, *values))

    def write(self) -> None:
        new = [
            Unit(code=code, name=name, kind=kind, expected_fields=expected)
            for _row, pk, code, name, kind, expected in self.pending
            if pk is None
        ]
        Unit.objects.bulk_create(new, batch_size=2000)
        self.ctx.wrote(len(new))
        changed = {pk: (name, kind, expected) for _row, pk, _code, name, kind, expected in self.pending if pk}
        for chunk in batches(list(changed)):
            units = list(Unit.objects.filter(pk__in=chunk))
            for unit in units:
                unit.name, unit.kind, unit.expected_fields = changed[unit.pk]
                unit.updated_at = self.ctx.now
            Unit.objects.bulk_update(units, ["name", "kind", "expected_fields", "updated_at"])
            self.ctx.wrote(len(units))


class ProdiImport(SheetImport):
    sheet = PRODI
    columns = {
        "code": "kode",
        "name": "nama",
        "level": "jenjang",
        "unit": "unit_kode",
        "active_from": "aktif_mulai",
        "active_until": "aktif_sampai",
        "instrument": "instrumen",
    }

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.pending: list[tuple[Any, ...]] = []
        self.defined = ctx.defined.setdefault(self.name, {})
        self.moved_unit = False

    def row(self, number: int, cells: dict[str, Any]) -> None:
        code = cells.get("kode")
        if code is None or self.duplicate(code, number, "kode", code):
            return
        self.defined[code] = True
        unit_code = cells.get("unit_kode")
        kind = unit_kind(self.ctx, unit_code) if unit_code is not None else None
        if unit_code is not None and kind is None:
            self.ctx.unknown(self.name, number, "unit_kode", unit_code)
            return
        if not kind or any(cells.get(column) is None for column in ("nama", "jenjang")):
            return
        assert unit_code is not None
        stored = org(self.ctx).prodi.get(code)
        stored_unit = org(self.ctx).units.get(unit_code)
        prodi = Prodi(
            pk=stored[0] if stored else None,
            code=code,
            name=cells["nama"],
            level=cells["jenjang"],
            # Only its kind is read by the rule; the id is the stored one, or a stand-in for a new unit.
            unit=Unit(pk=stored_unit[0] if stored_unit else -1, kind=kind),
            active_from=cells.get("aktif_mulai"),
            active_until=cells.get("aktif_sampai"),
            # Without the column, or with the cell empty, the stored instrument stays.
            instrument=cells.get("instrumen") or (stored[6] if stored else Instrument.IAPS4),
        )
        try:
            prodi.full_clean(exclude=["unit"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            self.check(error, number)
            return
        values = (prodi.name, prodi.level, unit_code, prodi.active_from, prodi.active_until, str(prodi.instrument))
        counts = self.ctx.count(self.name)
        if stored and tuple(stored[1:]) == values:
            counts.unchanged += 1
            return
        if stored:
            counts.updated += 1
            self.moved_unit = self.moved_unit or stored[3] != unit_code
        else:
            counts.created += 1
        self.pending.append((number, stored[0] if stored else None, code, *values))

    def write(self) -> None:
        unit_ids = org(self.ctx).unit_ids()
        new = [
            Prodi(
                code=code,
                name=name,
                level=level,
                unit_id=unit_ids[unit],
                active_from=active_from,
                active_until=active_until,
                instrument=instrument,
            )
            for _row, pk, code, name, level, unit, active_from, active_until, instrument in self.pending
            if pk is None
        ]
        Prodi.objects.bulk_create(new, batch_size=2000)
        self.ctx.wrote(len(new))
        changed = {pk: values for _row, pk, _code, *values in self.pending if pk}
        for chunk in batches(list(changed)):
            rows = list(Prodi.objects.filter(pk__in=chunk))
            for prodi in rows:
                name, level, unit, active_from, active_until, instrument = changed[prodi.pk]
                prodi.name, prodi.level, prodi.unit_id = name, level, unit_ids[unit]
                prodi.active_from, prodi.active_until, prodi.instrument = active_from, active_until, instrument
                prodi.updated_at = self.ctx.now
            Prodi.objects.bulk_update(
                rows, ["name", "level", "unit_id", "active_from", "active_until", "instrument", "updated_at"]
            )
            self.ctx.wrote(len(rows))
