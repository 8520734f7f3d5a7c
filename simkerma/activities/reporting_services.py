"""Writing what the official reports need beyond the procedure: the outputs a partner uses (IKU 5)
and the ministry's list of forms of cooperation."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from simkerma.activities.data import OutputData
from simkerma.activities.models import Activity
from simkerma.activities.permissions import can_edit_activity, can_manage_cooperation_forms
from simkerma.activities.reporting import ActivityOutput, CooperationForm, CooperationFormData
from simkerma.activities.rules import output_refusals
from simkerma.core.data import apply_data

CODE_RE = re.compile(r"^[a-z0-9_]{1,30}$")


def activity_output_create(*, activity: Activity, data: OutputData, user: Any) -> ActivityOutput:
    """Record an output of the activity that the partner uses. The activity's writers record it."""
    return _output_save(ActivityOutput(activity=activity), activity=activity, data=data, user=user)


def activity_output_update(*, output: ActivityOutput, data: OutputData, user: Any) -> ActivityOutput:
    return _output_save(output, activity=output.activity, data=data, user=user)


def activity_output_delete(*, output: ActivityOutput, user: Any) -> None:
    if not can_edit_activity(user, output.activity):
        raise PermissionDenied
    output.delete()


def _output_save(output: ActivityOutput, *, activity: Activity, data: OutputData, user: Any) -> ActivityOutput:
    """Check everything, then save; refuses by field (ValidationError) and nothing is saved then."""
    if not can_edit_activity(user, activity):
        raise PermissionDenied
    apply_data(output, data)
    output.evidence_link = output.evidence_link.strip()
    errors: dict[str, Any] = {}
    try:
        output.full_clean(exclude=["activity", "created_at"])
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    for name, message in output_refusals(
        activity=activity, evidence_link=output.evidence_link, used_on=data.used_on
    ).items():
        errors.setdefault(name, []).append(ValidationError(message))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        output.save()
    return output


def cooperation_form_save(
    *, entry: CooperationForm | None = None, data: CooperationFormData, user: Any
) -> CooperationForm:
    """Add (`entry` None) or change a form of cooperation. Its code is given once and then kept:
    reports and the workbook name a form by its code. A form in use is never deleted, only taken
    out of use (`is_active` off), so stored activities keep it."""
    if not can_manage_cooperation_forms(user):
        raise PermissionDenied
    entry = entry if entry is not None else CooperationForm()
    creating = entry.pk is None
    values = {
        "name": " ".join(data.name.split()),
        "description": data.description.strip(),
        "qualifies_iku": data.qualifies_iku,
        "order": data.order,
        "is_active": data.is_active,
    }
    for name, value in values.items():
        setattr(entry, name, value)
    errors: dict[str, Any] = {}
    if creating:
        entry.code = data.code.strip().lower()
        if not CODE_RE.match(entry.code):
            errors["code"] = [ValidationError(_("Use 1 to 30 lowercase letters, digits or underscores."))]
    try:
        entry.full_clean(exclude=list(errors))
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        entry.save()
    return entry


def cooperation_form_delete(*, entry: CooperationForm, user: Any) -> None:
    """Delete a form no activity names; one in use is refused (take it out of use instead)."""
    if not can_manage_cooperation_forms(user):
        raise PermissionDenied
    with transaction.atomic():
        if Activity.objects.filter(cooperation_form=entry).exists():
            raise ValidationError(
                _("Activities name %(name)s: take it out of use instead of deleting it.") % {"name": entry.name}
            )
        entry.delete()
