from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from simkerma.core.concurrency import ensure_current, proposed_from_form
from simkerma.core.history import change_reason
from simkerma.partners.models import Partner, PartnerMerge

CODE_PATTERN = re.compile(r"^M(\d+)$")
# Fields copied from the duplicate where the kept partner has nothing.
FILLABLE_FIELDS = ("city", "address", "email", "phone", "website", "notes")


def partner_next_code() -> str:
    numbers = [
        int(match.group(1))
        for code in Partner.objects.filter(code__regex=r"^M[0-9]+$").values_list("code", flat=True)
        if (match := CODE_PATTERN.match(code))
    ]
    return f"M{(max(numbers, default=0) + 1):05d}"


def partner_save(*, form: Any, formset: Any, reason: str, opened_version: str | None = None) -> Partner:
    """Save a valid partner form and its contacts formset as one transaction.

    An empty code takes the next M-number; if another user took that number a moment earlier,
    the next free one is tried. A code typed by the user is never changed: the IntegrityError
    goes back to the caller.
    """
    partner: Partner = form.instance
    creating = partner.pk is None
    automatic = not form.cleaned_data.get("code")
    for attempt in range(3):
        try:
            with transaction.atomic():
                ensure_current(instance=partner, opened_version=opened_version, proposed=proposed_from_form(form))
                if automatic:
                    partner.code = partner_next_code()
                partner._change_reason = change_reason(reason)  # type: ignore[attr-defined]
                partner.save()
                formset.instance = partner
                formset.save()
                return partner
        except IntegrityError:
            if creating:
                # The row was rolled back: the form must not show it as an existing partner.
                partner.pk = None
                partner._state.adding = True
            if not automatic or attempt == 2:
                raise
    raise AssertionError("unreachable")


def _snapshot(partner: Partner) -> dict[str, Any]:
    data = model_to_dict(partner, exclude=["id"])
    data["country"] = str(partner.country.code) if partner.country else ""
    data["contacts"] = [model_to_dict(c, exclude=["id", "partner"]) for c in partner.contacts.all()]
    data["agreements"] = list(partner.agreements.values_list("number", flat=True))
    return data


class MergeConflict(ValidationError):
    """The merge lost a race: one of the two partners is already gone."""


@transaction.atomic
def partner_merge(*, source: Partner, target: Partner, user: Any) -> PartnerMerge:
    """Fold a duplicate partner into another. Every link moves to the kept partner; nothing is lost.

    The duplicate's fields are kept in the merge record and in its history, its blank-filling
    values move to the kept partner, and every record that pointed at it now points at the target.
    """
    if source.pk == target.pk:
        raise ValueError("a partner cannot be merged into itself")
    # Both rows locked in one fixed order (by pk), so two merges of the same pair never deadlock:
    # the second waits for the first and then finds the duplicate gone.
    locked = {p.pk: p for p in Partner.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).order_by("pk")}
    if source.pk not in locked or target.pk not in locked:
        raise MergeConflict(
            _("%(name)s was merged or removed by someone else a moment ago; nothing was changed.")
            % {"name": (target if source.pk in locked else source).name}
        )
    source, target = locked[source.pk], locked[target.pk]
    merge = PartnerMerge.objects.create(
        target=target,
        source_code=source.code,
        source_name=source.name,
        snapshot=_snapshot(source),
        merged_by=user if getattr(user, "is_authenticated", False) else None,
    )
    _move_relations(source, target)
    # Earlier merges into the duplicate now belong to the kept partner, or the delete below is refused.
    PartnerMerge.objects.filter(target=source).update(target=target)
    changed = False
    for name in FILLABLE_FIELDS:
        if not getattr(target, name) and getattr(source, name):
            setattr(target, name, getattr(source, name))
            changed = True
    if changed:
        target.save()
        update_change_reason(target, change_reason(f"merged from {source.code} {source.name}"))
    source._change_reason = change_reason(f"merged into {target.code} {target.name}")  # type: ignore[attr-defined]
    source.delete()
    return merge


def _move_relations(source: Partner, target: Partner) -> None:
    for relation in Partner._meta.related_objects:
        related_model = relation.related_model
        # A reverse relation always points from a model class (never the lazy "self"), which has a model_name.
        assert not isinstance(related_model, str)
        model_name = related_model._meta.model_name
        assert model_name is not None
        if related_model is PartnerMerge or model_name.startswith("historical"):
            continue
        accessor = relation.get_accessor_name()
        # Only hidden relations (related_name "+") lack an accessor, and none points at Partner.
        assert accessor is not None
        if relation.many_to_many:
            # Through the related manager, so the history of each linked record sees the change.
            for obj in getattr(source, accessor).all():
                getattr(obj, relation.field.name).add(target)
                getattr(obj, relation.field.name).remove(source)
        elif relation.one_to_many or relation.one_to_one:
            for obj in getattr(source, accessor).all():
                setattr(obj, relation.field.name, target)
                obj.save()
