from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from simple_history.utils import update_change_reason

from simkerma.accounts.models import Role
from simkerma.accounts.permissions import can_manage_partners
from simkerma.core.concurrency import ensure_current, proposed_from_data
from simkerma.core.data import apply_data, data_values
from simkerma.core.history import CREATED, EDITED, change_reason, reason_template
from simkerma.core.numbering import next_code, save_with_code
from simkerma.partners.data import CategoryData, ContactData, PartnerData
from simkerma.partners.models import Partner, PartnerCategory, PartnerContact, PartnerMerge

# Fields copied from the duplicate where the kept partner has nothing.
FILLABLE_FIELDS = ("city", "address", "email", "phone", "website", "notes")
MERGED_FROM = reason_template(gettext_noop("merged from %(code)s %(name)s"))
MERGED_INTO = reason_template(gettext_noop("merged into %(code)s %(name)s"))


def can_manage_partner_categories(user: Any) -> bool:
    """Kapokja and the administrator keep the ministry's list of partner categories."""
    return bool(user.is_authenticated and user.has_role and user.role in (Role.KAPOKJA, Role.ADMIN))


def partner_next_code() -> str:
    """The next automatic code: M00001, M00002, … after the highest M-number."""
    return next_code(Partner.objects.all(), prefix="M", width=5)


def partner_save(
    *, partner: Partner | None, data: PartnerData, user: Any, reason: str = "", opened_version: str | None = None
) -> Partner:
    """Create (`partner` None or unsaved) or update a partner and its contacts, as one transaction.

    Refuses with PermissionDenied unless the user manages partners, and with ValidationError (by
    field) when a value is wrong; nothing is saved then. An empty code takes the next M-number; if
    another user took that number a moment earlier, the next free one is tried. A code typed by the
    user is never changed: a clash at the last moment raises IntegrityError. An edit opened on an
    older version that would overwrite someone's change raises StaleEdit.
    """
    if not can_manage_partners(user):
        raise PermissionDenied
    partner = partner if partner is not None else Partner()
    creating = partner.pk is None
    apply_data(partner, data, exclude=["contacts"])
    partner.code = (partner.code or "").strip().upper()
    automatic = not partner.code
    contacts = _validate(partner, data, automatic=automatic)
    with transaction.atomic():
        ensure_current(instance=partner, opened_version=opened_version, proposed=proposed_from_data(data))
        partner._change_reason = change_reason(reason or (CREATED if creating else EDITED))  # type: ignore[attr-defined]
        save_with_code(partner, save=partner.save, next_code=partner_next_code if automatic else None)
        contacts.write(partner)
    return partner


def _validate(partner: Partner, data: PartnerData, *, automatic: bool) -> _ContactChanges:
    """Check the partner and its contacts; every problem at once, by field."""
    errors: dict[str, Any] = {}
    exclude = ["name_key", "code"] if automatic else ["name_key"]  # the name key is derived on save
    try:
        partner.full_clean(exclude=exclude)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        contacts = _contact_changes(partner, data.contacts)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    return contacts


@dataclass
class _ContactChanges:
    saved: list[PartnerContact] = field(default_factory=list)
    removed: list[PartnerContact] = field(default_factory=list)

    def write(self, partner: Partner) -> None:
        for row in self.removed:
            row.delete()
        for row in self.saved:
            row.partner = partner
            row.save()


def _contact_changes(partner: Partner, rows: list[ContactData] | None) -> _ContactChanges:
    """The contacts to save and remove, each checked; a contact that did not change is left alone."""
    changes = _ContactChanges()
    if rows is None:
        return changes
    stored = {c.pk: c for c in PartnerContact.objects.filter(partner_id=partner.pk)} if partner.pk else {}
    listed = set()
    for row in rows:
        values = data_values(row, exclude=["id"])
        if row.id is None:
            contact = PartnerContact(**values)
        elif (found := stored.get(row.id)) is None:
            raise ValidationError({"contacts": gettext_lazy("A contact sent is not one of this partner's.")})
        else:
            listed.add(row.id)
            if all(getattr(found, name) == value for name, value in values.items()):
                continue
            contact = found
            for name, value in values.items():
                setattr(contact, name, value)
        contact.full_clean(exclude=["partner"])
        changes.saved.append(contact)
    changes.removed = [c for pk, c in stored.items() if pk not in listed]
    return changes


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
    if not can_manage_partners(user):
        raise PermissionDenied
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
        update_change_reason(target, change_reason(MERGED_FROM, code=source.code, name=source.name))
    source._change_reason = change_reason(MERGED_INTO, code=target.code, name=target.name)  # type: ignore[attr-defined]
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


def partner_category_save(*, category: PartnerCategory | None, data: CategoryData, user: Any) -> PartnerCategory:
    """Add a ministry partner category, or rename, reweigh or switch one off.

    Only Kapokja and the administrator change the list the IKU counts by. A category in use is
    switched off rather than deleted: its partners keep it, and new partners no longer get it.
    """
    if not can_manage_partner_categories(user):
        raise PermissionDenied
    category = category if category is not None else PartnerCategory()
    apply_data(category, data)
    category.code = (category.code or "").strip().lower()
    category.full_clean()
    with transaction.atomic():
        category.save()
    return category


def partner_category_delete(*, category: PartnerCategory, user: Any) -> None:
    """Delete a category no partner has ever been given; one in use is refused (switch it off instead)."""
    if not can_manage_partner_categories(user):
        raise PermissionDenied
    with transaction.atomic():
        if Partner.history.filter(ministry_category_id=category.pk).exists():  # type: ignore[attr-defined]
            raise ValidationError(
                _("%(name)s is or was the category of a partner: switch it off instead of deleting it.")
                % {"name": category.name}
            )
        category.delete()
