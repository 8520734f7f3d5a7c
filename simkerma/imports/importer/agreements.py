"""The Mitra and Dokumen sheets: partners, and agreements with their tree and links."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_countries import countries

from simkerma.agreements.models import Agreement, normalise_number
from simkerma.agreements.rules import partners_problem
from simkerma.core.data import KEEP
from simkerma.imports.format import AGREEMENT_KIND, DOKUMEN, MITRA, PARTNER_CATEGORY
from simkerma.imports.importer.base import (
    Context,
    SheetImport,
    batches,
    create_with_history,
    update_with_history,
    write_links,
)
from simkerma.imports.importer.org import known_prodi, org, unit_kind
from simkerma.imports.lookups import lookup
from simkerma.partners.models import Partner
from simkerma.partners.names import name_key
from simkerma.partners.selectors import similar_partners

PARTNER_FIELDS = ("name", "kind", "country", "city", "address", "email", "phone", "website")
NAME_KEY_LENGTH = Partner._meta.get_field("name_key").max_length or 255
AGREEMENT_FIELDS = (
    "number",
    "kind",
    "title",
    "level",
    "fields",
    "start_date",
    "end_date",
    "terminated_on",
    "sdg_goals",
)
SDG_INDEX = 2 + AGREEMENT_FIELDS.index("sdg_goals")  # in a stored row: pk, parent id, then the fields
AGREEMENT_LINKS = ("partners", "units", "prodi")
FIELDS_FIELD = Agreement._meta.get_field("fields")
SDG_FIELD = Agreement._meta.get_field("sdg_goals")
COUNTRY_FIELD = Partner._meta.get_field("country")
COUNTRY_CODES = frozenset(code for code, _name in countries)


def agreement_key(number: str) -> str:
    """Numbers are one agreement regardless of case and spacing (the table's unique constraint)."""
    return normalise_number(number).lower()


def partner_codes(ctx: Context) -> dict[str, int]:
    if not hasattr(ctx, "partner_codes"):
        ctx.partner_codes = dict(Partner.objects.values_list("code", "pk"))  # type: ignore[attr-defined]
    return ctx.partner_codes  # type: ignore[attr-defined, no-any-return]


class PartnerImport(SheetImport):
    sheet = MITRA
    columns = {
        "code": "kode",
        "name": "nama",
        "kind": "jenis",
        "country": "negara",
        "city": "kota",
        "address": "alamat",
        "email": "email",
        "phone": "telepon",
        "website": "situs",
    }

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.defined = ctx.defined.setdefault(self.name, {})
        # code -> (pk, *PARTNER_FIELDS, ministry category id)
        self.stored = {
            row[0]: row[1:]
            for row in Partner.objects.values_list("code", "pk", *PARTNER_FIELDS, "ministry_category_id").iterator()
        }
        self.pending: list[tuple[int, int | None, str, tuple[Any, ...], int | None]] = []

    def row(self, number: int, cells: dict[str, Any]) -> None:
        code = cells.get("kode")
        if code is None or self.duplicate(code, number, "kode", code):
            return
        self.defined[code] = cells.get("nama") or True
        if any(cells.get(column) is None for column in ("nama", "jenis", "negara")):
            return
        stored = self.stored.get(code)
        category = self.category(number, cells, stored)
        if category is False:
            return
        partner = Partner(
            pk=stored[0] if stored else None,
            code=code,
            name=" ".join(cells["nama"].split()),
            kind=cells["jenis"],
            country=cells["negara"].upper(),
            **{
                field: cells.get(column) or ""
                for field, column in self.columns.items()
                if field not in ("code", "name", "kind", "country")
            },
        )
        # The country is checked against the set of codes: the field's own check walks the whole
        # list of countries, which costs a millisecond a row on a large sheet.
        errors: dict[str, list[ValidationError]] = {}
        if partner.country not in COUNTRY_CODES:
            errors["country"] = [
                ValidationError(
                    COUNTRY_FIELD.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": partner.country},
                )
            ]
        try:
            partner.full_clean(exclude=["name_key", "country"], validate_unique=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            self.check(ValidationError(errors), number)
            return
        values = tuple(str(getattr(partner, field)) for field in PARTNER_FIELDS)
        counts = self.ctx.count(self.name)
        if stored and tuple(str(value) for value in stored[1:-1]) == values and stored[-1] == category:
            counts.unchanged += 1
            return
        if stored:
            counts.updated += 1
        else:
            counts.created += 1
        # Only partners already in Simkerma are compared: with none stored, nothing can be close.
        if self.stored and (not stored or stored[1] != partner.name):
            self.near_duplicates(number, code, partner.name, stored[0] if stored else None)
        self.pending.append((number, stored[0] if stored else None, code, values, category))

    def category(self, number: int, cells: dict[str, Any], stored: tuple[Any, ...] | None) -> int | bool | None:
        """The ministry category's id: the cell's, the stored one without the column; False when unknown."""
        if "kategori_mitra" not in self.present:
            return stored[-1] if stored else None  # type: ignore[no-any-return]
        value = cells.get("kategori_mitra")
        if value is None:
            return None
        categories = lookup(self.ctx, PARTNER_CATEGORY)
        found = categories.find(value)
        if found is None:
            self.ctx.problem(self.name, number, "kategori_mitra", categories.refusal(value))
            return False
        return found

    def near_duplicates(self, number: int, code: str, name: str, pk: int | None) -> None:
        for similar in similar_partners(name, exclude_pk=pk, limit=3):
            if similar.partner.code == code:
                continue
            self.ctx.warning(
                self.name,
                number,
                "nama",
                _(
                    "This name is close to that of partner %(code)s, “%(name)s”, which has another code: "
                    "check that it is not the same partner."
                )
                % {"code": similar.partner.code, "name": similar.partner.name},
                similar.partner.get_absolute_url(),
            )

    def write(self) -> None:
        def fill(partner: Partner, values: tuple[Any, ...], category: int | None) -> Partner:
            for field, value in zip(PARTNER_FIELDS, values, strict=True):
                setattr(partner, field, value)
            partner.name_key = name_key(partner.name)[:NAME_KEY_LENGTH]
            partner.ministry_category_id = category
            return partner

        new = [
            fill(Partner(code=code), values, category) for _row, pk, code, values, category in self.pending if not pk
        ]
        for chunk in batches(new):
            create_with_history(Partner, list(chunk), ctx=self.ctx)
        changed = {pk: (values, category) for _row, pk, _code, values, category in self.pending if pk}
        fields = [*PARTNER_FIELDS, "name_key", "ministry_category_id"]
        for ids in batches(list(changed)):
            partners = [fill(partner, *changed[partner.pk]) for partner in Partner.objects.filter(pk__in=ids)]
            update_with_history(Partner, partners, fields, ctx=self.ctx)


@dataclass(slots=True)
class AgreementRow:
    row: int
    values: dict[str, Any]
    parent: str | None  # key of the parent's number
    links: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]  # partner, unit, prodi codes


@dataclass(frozen=True, slots=True)
class AgreementInfo:
    """What later sheets need of an agreement, from the workbook or from Simkerma."""

    kind: str
    start_date: dt.date
    end_date: dt.date
    terminated_on: dt.date | None
    pk: int | None = None


class Agreements:
    """The stored agreements, loaded once: by key, with their links as codes."""

    def __init__(self) -> None:
        self.by_key: dict[str, tuple[Any, ...]] = {}
        self.number_of: dict[int, str] = {}
        for row in Agreement.objects.values_list("pk", "parent_id", *AGREEMENT_FIELDS).iterator():
            self.by_key[agreement_key(row[2])] = row
            self.number_of[row[0]] = row[2]
        self.links: dict[int, list[set[str]]] = defaultdict(lambda: [set(), set(), set()])
        for index, (field, code) in enumerate((("partner", "code"), ("unit", "code"), ("prodi", "code"))):
            through = getattr(Agreement, AGREEMENT_LINKS[index]).through
            for agreement_id, value in through.objects.values_list("agreement_id", f"{field}__{code}").iterator():
                self.links[agreement_id][index].add(value)

    def info(self, key: str) -> AgreementInfo | None:
        row = self.by_key.get(key)
        if row is None:
            return None
        return AgreementInfo(kind=row[3], start_date=row[7], end_date=row[8], terminated_on=row[9], pk=row[0])

    def ids(self) -> dict[str, int]:
        return {agreement_key(number): pk for pk, number in Agreement.objects.values_list("pk", "number").iterator()}


def stored_agreements(ctx: Context) -> Agreements:
    if not hasattr(ctx, "agreements"):
        ctx.agreements = Agreements()  # type: ignore[attr-defined]
    return ctx.agreements  # type: ignore[attr-defined, no-any-return]


def agreement_info(ctx: Context, number: str) -> tuple[bool, AgreementInfo | None]:
    """Whether the Dokumen sheet or Simkerma knows the agreement a later sheet names, and what it knows.

    (True, None) is an agreement whose own row was refused: a row naming it adds no problem.
    """
    key = agreement_key(number)
    defined = ctx.defined.get(DOKUMEN.name, {})
    if key in defined:
        return True, defined[key]
    info = stored_agreements(ctx).info(key)
    return info is not None, info


def known_partner(ctx: Context, code: str) -> bool:
    return code in ctx.defined.get(MITRA.name, {}) or code in partner_codes(ctx)


class AgreementImport(SheetImport):
    sheet = DOKUMEN
    columns = {
        "number": "nomor",
        "kind": "jenis",
        "title": "judul",
        "partners": "mitra_kode",
        "parent": "induk_nomor",
        "level": "tingkat",
        "fields": "bidang",
        "units": "unit_kode",
        "prodi": "prodi_kode",
        "start_date": "tanggal_mulai",
        "end_date": "tanggal_berakhir",
        "terminated_on": "diakhiri_pada",
    }

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.defined = ctx.defined.setdefault(self.name, {})
        self.rows: list[AgreementRow] = []
        self.pending: list[tuple[AgreementRow, int | None]] = []
        self.changed_ids: set[int] = set()
        self.parent_numbers: dict[str, str] = {}
        self._ids: tuple[dict[str, int], dict[str, int]] | None = None

    def row(self, number: int, cells: dict[str, Any]) -> None:
        raw = cells.get("nomor")
        if raw is None:
            return
        key = agreement_key(raw)
        if self.duplicate(key, number, "nomor", raw):
            return
        kind = AGREEMENT_KIND.get(cells.get("jenis") or "")
        required = ("judul", "tingkat", "tanggal_mulai", "tanggal_berakhir")
        ok = kind is not None and all(cells.get(column) is not None for column in required)
        for column, codes, known in (
            ("mitra_kode", cells.get("mitra_kode") or (), lambda code: known_partner(self.ctx, code)),
            ("unit_kode", cells.get("unit_kode") or (), lambda code: unit_kind(self.ctx, code) is not None),
            ("prodi_kode", cells.get("prodi_kode") or (), lambda code: known_prodi(self.ctx, code)),
        ):
            for code in codes:
                if not known(code):
                    self.ctx.unknown(self.name, number, column, code)
                    ok = False
        if not cells.get("bidang") or not cells.get("mitra_kode"):
            ok = False
        if not ok:
            self.defined[key] = None
            return
        values = {
            "number": normalise_number(raw),
            "kind": kind,
            "title": cells["judul"],
            "level": cells["tingkat"],
            "fields": FIELDS_FIELD.split(cells["bidang"]),  # type: ignore[attr-defined]
            "start_date": cells["tanggal_mulai"],
            "end_date": cells["tanggal_berakhir"],
            "terminated_on": cells.get("diakhiri_pada"),
            # Without the column the stored goals stay (set in finish(), once the stored row is known).
            "sdg_goals": SDG_FIELD.split(cells.get("sdg") or ()) if "sdg" in self.present else KEEP,  # type: ignore[attr-defined]
        }
        parent = cells.get("induk_nomor")
        assert kind is not None
        self.defined[key] = AgreementInfo(
            kind=kind,
            start_date=values["start_date"],
            end_date=values["end_date"],
            terminated_on=values["terminated_on"],
        )
        self.rows.append(
            AgreementRow(
                number,
                values,
                agreement_key(parent) if parent else None,
                (tuple(cells["mitra_kode"]), tuple(cells.get("unit_kode") or ()), tuple(cells.get("prodi_kode") or ())),
            )
        )
        if parent:
            self.parent_numbers[agreement_key(parent)] = parent

    def finish(self) -> None:
        stored = stored_agreements(self.ctx)
        counts = self.ctx.count(self.name)
        for item in self.rows:
            parent_info = None
            if item.parent is not None:
                parent_info = self.defined.get(item.parent) if item.parent in self.defined else stored.info(item.parent)
                if parent_info is None:
                    if item.parent not in self.defined:
                        self.ctx.unknown(self.name, item.row, "induk_nomor", self.parent_numbers[item.parent])
                    continue
            key = agreement_key(item.values["number"])
            old = stored.by_key.get(key)
            if item.values["sdg_goals"] is KEEP:
                item.values["sdg_goals"] = list(old[SDG_INDEX]) if old is not None else []
            # The stored id only where a rule needs it: a changed kind checks the agreements under it.
            kind_changed = old is not None and old[3] != item.values["kind"]
            agreement = Agreement(pk=old[0] if old is not None and kind_changed else None, **item.values)
            if parent_info is not None:
                agreement.parent = Agreement(pk=parent_info.pk or -1, kind=parent_info.kind)
            try:
                agreement.full_clean(
                    exclude=["parent", "partners", "units", "prodi"], validate_unique=False, validate_constraints=False
                )
            except ValidationError as error:
                self.check(error, item.row)
                continue
            problem = partners_problem(partners=item.links[0])  # type: ignore[arg-type]  # codes stand for them
            if problem is not None:
                self.check(ValidationError({"partners": problem}), item.row)
                continue
            item.values = {field: getattr(agreement, field) for field in AGREEMENT_FIELDS}
            if old is None:
                counts.created += 1
                self.pending.append((item, None))
                continue
            assert old is not None
            stored_parent = stored.number_of.get(old[1]) if old[1] else None
            same = (
                tuple(old[2:]) == tuple(item.values[field] for field in AGREEMENT_FIELDS)
                and (agreement_key(stored_parent) if stored_parent else None) == item.parent
                and stored.links[old[0]] == [set(codes) for codes in item.links]
            )
            if same:
                counts.unchanged += 1
            else:
                counts.updated += 1
                self.pending.append((item, old[0]))
        self.rows = []

    def write(self) -> None:
        ids = stored_agreements(self.ctx).ids()
        user = self.ctx.user if getattr(self.ctx.user, "pk", None) else None
        # Parents first: MoU, then MoA, then IA (a parent's kind always comes before its child's).
        order = {"mou": 0, "moa": 1, "ia": 2}
        new = sorted((item for item, pk in self.pending if pk is None), key=lambda item: order[item.values["kind"]])
        for level in (0, 1, 2):
            items = [item for item in new if order[item.values["kind"]] == level]
            for chunk in batches(items):
                objects = [
                    Agreement(parent_id=ids.get(item.parent) if item.parent else None, created_by=user, **item.values)
                    for item in chunk
                ]
                created = create_with_history(Agreement, objects, ctx=self.ctx)
                for obj in created:
                    ids[agreement_key(obj.number)] = obj.pk
                write_links(Agreement, "agreement", created, self.link_ids(chunk), replace=False)
        changed = [(item, pk) for item, pk in self.pending if pk is not None]
        for pairs in batches(changed):
            by_pk = Agreement.objects.in_bulk([pk for _item, pk in pairs])
            objects = []
            for item, pk in pairs:
                agreement = by_pk[pk]
                for field, value in item.values.items():
                    setattr(agreement, field, value)
                agreement.parent_id = ids.get(item.parent) if item.parent else None
                objects.append(agreement)
                self.changed_ids.add(pk)
            update_with_history(Agreement, objects, [*AGREEMENT_FIELDS, "parent_id"], ctx=self.ctx)
            write_links(Agreement, "agreement", objects, self.link_ids([item for item, _pk in pairs]), replace=True)

    def link_ids(self, items: Any) -> dict[str, list[list[int]]]:
        partners = partner_codes_now(self.ctx)
        if self._ids is None:
            self._ids = (org(self.ctx).unit_ids(), org(self.ctx).prodi_ids())
        units, prodi = self._ids
        return {
            "partners": [[partners[code] for code in item.links[0]] for item in items],
            "units": [[units[code] for code in item.links[1]] for item in items],
            "prodi": [[prodi[code] for code in item.links[2]] for item in items],
        }


def partner_codes_now(ctx: Context) -> dict[str, int]:
    """Partner ids by code after the Mitra sheet was written."""
    if not getattr(ctx, "partner_codes_written", None):
        ctx.partner_codes_written = dict(Partner.objects.values_list("code", "pk"))  # type: ignore[attr-defined]
    return ctx.partner_codes_written  # type: ignore[attr-defined, no-any-return]
