"""Building POST data for the agreement form."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from simkerma.agreements.models import Agreement


def _pks(objects: Iterable[Any]) -> list[int]:
    return [obj.pk for obj in objects]


def agreement_data(
    *,
    partners: Iterable[Any],
    kind: str = "mou",
    number: str = "",
    title: str = "Pengembangan sumber daya manusia",
    parent: Agreement | None = None,
    units: Iterable[Any] = (),
    prodi: Iterable[Any] = (),
    level: str = "nasional",
    fields: Iterable[str] = ("pendidikan",),
    start: str = "2025-03-03",
    end: str = "2030-03-02",
    signed_on: str = "",
    scope: str = "",
    signatories: Iterable[dict[str, Any]] = (),
) -> dict[str, Any]:
    """POST data for a new agreement, with any new signatories as dicts of side/name/position."""
    data: dict[str, Any] = {
        "kind": kind,
        "number": number,
        "partner_number": "",
        "title": title,
        "partners": _pks(partners),
        "units": _pks(units),
        "prodi": _pks(prodi),
        "level": level,
        "fields": list(fields),
        "scope": scope,
        "start_date": start,
        "end_date": end,
        "signed_on": signed_on,
        "notes": "",
    }
    if parent is not None:
        data["parent"] = parent.pk
    return data | signatory_data(new=list(signatories))


def signatory_data(*, existing: Iterable[Any] = (), new: Iterable[dict[str, Any]] = ()) -> dict[str, Any]:
    """The signatory formset: existing Signatory rows (optionally changed) followed by new ones."""
    rows: list[dict[str, Any]] = [
        {"id": s.pk, "side": s.side, "name": s.name, "position": s.position, "organisation": s.organisation}
        for s in existing
    ]
    initial = len(rows)
    rows += [{"organisation": "", **row} for row in new]
    data: dict[str, Any] = {
        "signatories-TOTAL_FORMS": str(len(rows)),
        "signatories-INITIAL_FORMS": str(initial),
        "signatories-MIN_NUM_FORMS": "0",
        "signatories-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"signatories-{index}-{key}"] = value
    return data


def edit_data(agreement: Agreement, **changes: Any) -> dict[str, Any]:
    """POST data that re-submits an agreement as it is stored, with some fields changed."""
    signatories = changes.pop("signatories", None)
    data = agreement_data(
        partners=agreement.partners.all(),
        kind=agreement.kind,
        number=agreement.number,
        title=agreement.title,
        parent=agreement.parent,
        units=agreement.units.all(),
        prodi=agreement.prodi.all(),
        level=agreement.level,
        fields=agreement.fields,
        start=agreement.start_date.isoformat(),
        end=agreement.end_date.isoformat(),
        signed_on=agreement.signed_on.isoformat() if agreement.signed_on else "",
        scope=agreement.scope,
    )
    for key in ("partners", "units", "prodi"):
        if key in changes:
            changes[key] = _pks(changes[key])
    if "parent" in changes:
        changes["parent"] = changes["parent"].pk if changes["parent"] else ""
    data |= signatories if signatories is not None else signatory_data(existing=agreement.signatories.all())
    return data | changes
