"""Writes: evaluations, monitoring records, archiving, and the partner survey. Each is one transaction.

Services take data (`data.py`), check the user's right here (permissions.py) and validate with
`full_clean()` before anything is written. The demo loader and the workbook importer call them
the same way the pages do.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from simkerma.archive.models import retention_years
from simkerma.core.data import apply_data
from simkerma.core.dates import add_years
from simkerma.core.history import CREATED, EDITED, change_reason, reason_template
from simkerma.core.notices import notice_plan
from simkerma.evaluations.data import EvaluationData, MonitoringRecordData, SurveyAnswerData
from simkerma.evaluations.links import invitation_for, new_link
from simkerma.evaluations.models import Evaluation, MonitoringRecord, SurveyInvitation, overlaps_life
from simkerma.evaluations.permissions import can_archive_evaluation, can_send_surveys, can_write_evaluation
from simkerma.partners.models import PartnerContact

ARCHIVED = reason_template(gettext_noop("archived until %(date)s"))
SURVEY_SENT = reason_template(gettext_noop("survey sent"))
SURVEY_ANSWERED = reason_template(gettext_noop("survey answered"))
SURVEY_VALID_DAYS = 30


def evaluation_save(*, data: EvaluationData, user: Any, evaluation: Evaluation | None = None) -> Evaluation:
    """Create the agreement's evaluation for the year, or change `evaluation`. An archived one is read-only."""
    if not can_write_evaluation(user, data.agreement) or (
        evaluation is not None and not can_write_evaluation(user, evaluation.agreement)
    ):
        raise PermissionDenied
    if evaluation is not None and evaluation.is_archived:
        raise ValidationError(_("An archived evaluation cannot be changed."), code="archived")
    instance = evaluation or Evaluation()
    is_new = instance.pk is None
    apply_data(instance, data)
    if instance.reviewer_id is None:
        instance.reviewer = user
    instance.full_clean()
    try:
        with transaction.atomic():
            instance._change_reason = change_reason(CREATED if is_new else EDITED)  # type: ignore[attr-defined]
            instance.save()
    except IntegrityError:  # another evaluation for the year was saved a moment ago
        instance.pk = None if is_new else instance.pk
        raise ValidationError(
            {"year": _("This agreement already has an evaluation for %(year)s.") % {"year": instance.year}}
        ) from None
    return instance


def evaluation_archive(*, evaluation: Evaluation, user: Any, now: dt.datetime | None = None) -> Evaluation:
    """Archive the evaluation (LED/SPMI data): read-only from now, kept for the retention years."""
    if not can_archive_evaluation(user):
        raise PermissionDenied
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if locked.is_archived:
            raise ValidationError(_("This evaluation is archived already."), code="archived")
        locked.archived_at = now or timezone.now()
        locked.archived_by = user
        locked.retention_until = add_years(timezone.localdate(locked.archived_at), retention_years("evaluation"))
        locked.full_clean()
        locked._change_reason = change_reason(ARCHIVED, date=locked.retention_until.isoformat())  # type: ignore[attr-defined]
        locked.save()
    return locked


def evaluation_delete(*, evaluation: Evaluation, user: Any) -> None:
    """Delete an evaluation: the team's, and never an archived one before its retention date."""
    if not can_archive_evaluation(user):
        raise PermissionDenied
    with transaction.atomic():
        evaluation.delete()  # refuses an archived evaluation still within its retention


def monitoring_record_save(
    *, data: MonitoringRecordData, user: Any, record: MonitoringRecord | None = None
) -> MonitoringRecord:
    """Write one quarter's monitoring line for an agreement; a period outside its life is refused."""
    if not can_write_evaluation(user, data.agreement) or (
        record is not None and not can_write_evaluation(user, record.agreement)
    ):
        raise PermissionDenied
    instance = record or MonitoringRecord()
    is_new = instance.pk is None
    apply_data(instance, data)
    if is_new:
        instance.created_by = user
    instance.full_clean()
    with transaction.atomic():
        instance._change_reason = change_reason(CREATED if is_new else EDITED)  # type: ignore[attr-defined]
        instance.save()
    return instance


def _survey_mail(invitation: SurveyInvitation, url: str, *, reminder: bool) -> tuple[str, str]:
    agreement = invitation.agreement
    values = {"number": agreement.number, "title": agreement.title, "year": invitation.year, "url": url}
    with translation.override(settings.LANGUAGE_CODE):
        subject = (
            _("Reminder: cooperation survey %(number)s") if reminder else _("Cooperation survey %(number)s")
        ) % values
        body = (
            _(
                'Dear partner, please tell us how the cooperation "%(title)s" (%(number)s) went in %(year)s. '
                "The survey takes two minutes and this link works once: %(url)s"
            )
            % values
        )
    return subject, body


def survey_send(
    *, agreement: Any, year: int, contacts: list[PartnerContact], user: Any, now: dt.datetime | None = None
) -> list[SurveyInvitation]:
    """Send one survey invitation per contact (with an e-mail address) of the agreement's partners.

    A contact already invited for this agreement and year is not invited again. The mail goes out
    through the notice worker. Returns the new invitations.
    """
    if not can_send_surveys(user):
        raise PermissionDenied
    now = now or timezone.now()
    partner_ids = set(agreement.partners.values_list("pk", flat=True))
    if any(contact.partner_id not in partner_ids for contact in contacts):
        raise ValidationError({"contacts": _("Choose contacts of this agreement's partners.")})
    if not overlaps_year(agreement, year):
        raise ValidationError({"year": _("The agreement was not in force in %(year)s.") % {"year": year}})
    invited = set(SurveyInvitation.objects.filter(agreement=agreement, year=year).values_list("contact_id", flat=True))
    created: list[SurveyInvitation] = []
    with transaction.atomic():
        for contact in contacts:
            if not contact.email or contact.pk in invited:
                continue
            invited.add(contact.pk)
            invitation = SurveyInvitation(
                agreement=agreement,
                year=year,
                contact=contact,
                name=contact.name,
                email=contact.email,
                sent_at=now,
                expires_at=now + dt.timedelta(days=SURVEY_VALID_DAYS),
                sent_by=user,
            )
            invitation._change_reason = change_reason(SURVEY_SENT)  # type: ignore[attr-defined]
            invitation.save()
            link = new_link(invitation)
            invitation.save(update_fields=["nonce_hash"])
            subject, body = _survey_mail(invitation, settings.SIMKERMA_BASE_URL.rstrip("/") + link.path, reminder=False)
            notice_plan(
                key=f"survey:{invitation.pk}:sent",
                kind="survey",
                subject=subject,
                body=body,
                due_at=now,
                email=invitation.email,
            )
            created.append(invitation)
    return created


def overlaps_year(agreement: Any, year: int) -> bool:
    return overlaps_life(agreement, dt.date(year, 1, 1), dt.date(year, 12, 31))


def survey_answer(*, token: str, data: SurveyAnswerData, now: dt.datetime | None = None) -> SurveyInvitation:
    """Record a partner's answer through its link. The link is checked again under a row lock, so a
    link used twice at once records one answer; a reused, altered or expired link records nothing
    (links.LinkProblem)."""
    with transaction.atomic():
        invitation = invitation_for(token, lock=True, now=now)
        return _record_answer(invitation, data, now)


def survey_record_answer(
    *, invitation: SurveyInvitation, data: SurveyAnswerData, user: Any, now: dt.datetime | None = None
) -> SurveyInvitation:
    """Record an answer the partner gave another way (on paper, by telephone), entered by the team.

    The invitation's link stops working. An invitation answered already is refused.
    """
    if not can_send_surveys(user):
        raise PermissionDenied
    with transaction.atomic():
        locked = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.answered_at is not None:
            raise ValidationError(_("This survey has been answered already."), code="answered")
        return _record_answer(locked, data, now)


def _record_answer(invitation: SurveyInvitation, data: SurveyAnswerData, now: dt.datetime | None) -> SurveyInvitation:
    apply_data(invitation, data)
    invitation.answered_at = now or timezone.now()
    invitation.nonce_hash = ""
    invitation.full_clean()
    invitation._change_reason = change_reason(SURVEY_ANSWERED)  # type: ignore[attr-defined]
    invitation.save()
    return invitation


def survey_remind(*, invitation: SurveyInvitation, now: dt.datetime) -> bool:
    """Remind an unanswered invitation once, with a fresh link (the earlier link stops working)."""
    with transaction.atomic():
        locked = SurveyInvitation.objects.select_for_update().select_related("agreement").get(pk=invitation.pk)
        if locked.answered_at is not None or locked.reminded_at is not None or locked.is_expired(now):
            return False
        link = new_link(locked)
        locked.reminded_at = now
        locked.save(update_fields=["nonce_hash", "reminded_at"])
        subject, body = _survey_mail(locked, settings.SIMKERMA_BASE_URL.rstrip("/") + link.path, reminder=True)
        notice_plan(
            key=f"survey:{locked.pk}:reminder",
            kind="survey",
            subject=subject,
            body=body,
            due_at=now,
            email=locked.email,
        )
    return True
