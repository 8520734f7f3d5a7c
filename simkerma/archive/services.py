from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from simkerma.activities.models import Activity, ActivityStatus
from simkerma.activities.services import activity_transition
from simkerma.archive.data import EvidenceData, ReportData
from simkerma.archive.models import CooperationReport, DisposalRecord, EvidenceFile, retention_years
from simkerma.archive.permissions import (
    can_archive,
    can_decide_disposal,
    can_file_reports,
    can_report_on,
    can_request_disposal,
    can_write_report,
)
from simkerma.archive.rules import check_report_activities, check_same_activities, check_unreported
from simkerma.archive.uploads import check_evidence
from simkerma.core.concurrency import ensure_current, proposed_from_data, submission_claim, submission_record
from simkerma.core.data import apply_data
from simkerma.core.dates import add_years
from simkerma.core.history import EDITED, change_reason, reason_template, save_with_one_record
from simkerma.core.numbering import next_code, save_with_code
from simkerma.core.staging import StagedFiles

S = ActivityStatus
R = CooperationReport.Status

FILED = reason_template(gettext_noop("filed"))
ARCHIVED = reason_template(gettext_noop("archived"))
SUPERSEDED = reason_template(gettext_noop("superseded by %(id)s"))
CORRECTION = reason_template(gettext_noop("correction of %(id)s"))


class ReportLocked(ValidationError):
    """The report is archived: it cannot change; a correction (new version) is the way to fix it."""

    def __init__(self, report: CooperationReport) -> None:
        super().__init__(
            _("Report %(id)s is archived and can no longer be changed. File a correction instead.")
            % {"id": report.identifier},
            code="locked",
        )


def _next_report_code() -> str:
    return next_code(CooperationReport.objects, prefix=f"L{timezone.localdate().year}-", width=5)


def _report_from(data: ReportData, report: CooperationReport) -> CooperationReport:
    apply_data(report, data, exclude=["activities"])
    return report


def evidence_add(*, report: CooperationReport, upload: UploadedFile, kind: str, user: Any) -> EvidenceFile:
    if report.is_locked:
        raise ReportLocked(report)
    if not can_write_report(user, report):
        raise PermissionDenied
    with StagedFiles() as files:
        [evidence] = evidence_stage(evidence=[EvidenceData(kind=kind, file=upload)], user=user, files=files)
        with transaction.atomic():
            current = CooperationReport.objects.select_for_update().get(pk=report.pk)
            _save_evidence(current, [evidence])
            files.publish()
    return evidence


def evidence_stage(*, evidence: Iterable[EvidenceData], user: Any, files: StagedFiles) -> list[EvidenceFile]:
    """Check the new files and write them to the staging area before any transaction begins.

    Parsing a PDF or unpacking an Office file takes time, and writing a file more: neither may
    happen while SQLite's write lock is held. The rows are saved later, inside the transaction,
    which moves the files to their final names when it commits (`files.publish()`).
    """
    staged: list[EvidenceFile] = []
    for item in evidence:
        checked = check_evidence(item.file)
        row = EvidenceFile(
            kind=item.kind,
            original_name=item.original_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        )
        row.full_clean(exclude=["report", "file"])
        files.stage(row.file, item.original_name, item.file)
        staged.append(row)
    return staged


def _save_evidence(report: CooperationReport, staged: list[EvidenceFile]) -> list[EvidenceFile]:
    if staged and report.is_locked:
        raise ReportLocked(report)
    for evidence in staged:
        evidence.pk = None  # a retry after a rolled-back attempt inserts again
        evidence.report = report
        evidence.save()
    return staged


def _lock_activities(activities: Sequence[Activity]) -> list[Activity]:
    """The activities as they are now, their rows locked, so two filings for one activity cannot both pass."""
    pks = sorted({activity.pk for activity in activities})
    return list(Activity.objects.select_for_update().filter(pk__in=pks).order_by("pk"))


def report_file(
    *, data: ReportData, evidence: Sequence[EvidenceData] = (), user: Any, token: str | None = None
) -> CooperationReport:
    """File a report on carried-out activities: saved as a draft, its activities move to dilaporkan.

    An activity that already has a report is refused; a form token used before raises AlreadySubmitted.
    """
    if not can_file_reports(user):
        raise PermissionDenied
    activities = list(data.activities)
    check_report_activities(activities)
    if not can_report_on(user, activities):
        raise PermissionDenied
    report = _report_from(data, CooperationReport(agreement_id=activities[0].agreement_id, created_by=user))
    report.full_clean(exclude=["code"])  # the code is given when it is saved
    with StagedFiles() as files:
        stored = evidence_stage(evidence=evidence, user=user, files=files)
        with transaction.atomic():
            claim = submission_claim(token, purpose="archive.report")
            locked = _lock_activities(activities)
            check_report_activities(locked)
            check_unreported(locked)
            save_with_code(
                report,
                save=lambda: save_with_one_record(report, {"activities": locked}, change_reason(FILED)),
                next_code=_next_report_code,
            )
            _save_evidence(report, stored)
            for activity in locked:
                if activity.status == S.TERLAKSANA:
                    activity_transition(activity=activity, to=S.DILAPORKAN, user=user, reason=report.code)
            submission_record(claim, report)
            files.publish()
    return report


def report_update(
    *,
    report: CooperationReport,
    data: ReportData,
    evidence: Sequence[EvidenceData] = (),
    user: Any,
    opened_version: str | None = None,
) -> CooperationReport:
    """Save changes to a draft report. An archived report is refused: it needs a correction."""
    if report.is_locked:
        raise ReportLocked(report)
    if not can_write_report(user, report):
        raise PermissionDenied
    check_same_activities(data.activities, report)
    candidate = _report_from(data, CooperationReport.objects.get(pk=report.pk))
    candidate.full_clean()
    proposed = proposed_from_data(data)
    del proposed["activities"]
    with StagedFiles() as files:
        stored = evidence_stage(evidence=evidence, user=user, files=files)
        with transaction.atomic():
            current = CooperationReport.objects.select_for_update().get(pk=report.pk)
            if current.is_locked:
                raise ReportLocked(current)
            if not can_write_report(user, current):
                raise PermissionDenied
            ensure_current(instance=current, opened_version=opened_version, proposed=proposed)
            _report_from(data, current)
            current._change_reason = change_reason(EDITED)  # type: ignore[attr-defined]
            current.save()
            _save_evidence(current, stored)
            files.publish()
    return current


def evidence_remove(*, evidence: EvidenceFile, user: Any) -> None:
    with transaction.atomic():
        report = CooperationReport.objects.select_for_update().get(pk=evidence.report_id)
        if report.is_locked:
            raise ReportLocked(report)
        if not can_write_report(user, report):
            raise PermissionDenied
        name = evidence.file.name
        evidence.delete()
        transaction.on_commit(lambda: evidence.file.storage.delete(name))


def report_archive(*, report: CooperationReport, user: Any, now: dt.datetime | None = None) -> CooperationReport:
    """Archive a filed report: read-only LED data, kept until the retention date; its activities
    move to diarsipkan. Archiving a correction supersedes the version it corrects."""
    if not can_archive(user):
        raise PermissionDenied
    now = now or timezone.now()
    with transaction.atomic():
        current = CooperationReport.objects.select_for_update().get(pk=report.pk)
        if current.is_locked:
            raise ValidationError(_("This report is archived already."), code="archived")
        current.status = R.ARCHIVED
        current.is_led_data = True
        current.archived_at = now
        current.archived_by = user
        current.retention_until = add_years(timezone.localdate(now), retention_years("report"))
        current.full_clean()
        current._change_reason = change_reason(ARCHIVED)  # type: ignore[attr-defined]
        current.save()
        for activity in current.activities.all():
            if activity.status == S.DILAPORKAN:
                activity_transition(activity=activity, to=S.DIARSIPKAN, user=user, reason=current.identifier)
        if current.previous_id:
            previous = CooperationReport.objects.select_for_update().get(pk=current.previous_id)
            previous.status = R.SUPERSEDED
            previous.is_led_data = False
            previous._change_reason = change_reason(SUPERSEDED, id=current.identifier)  # type: ignore[attr-defined]
            previous.save(update_fields=["status", "is_led_data", "updated_at"])
    return current


def _copy_evidence(source: CooperationReport, files: StagedFiles) -> list[EvidenceFile]:
    """A correction gets its own copies, so disposing of the old version never breaks the new one.

    An archived report's evidence cannot change, so the copies are written before the transaction.
    """
    copies: list[EvidenceFile] = []
    for evidence in source.evidence.all():
        copy = EvidenceFile(
            kind=evidence.kind,
            original_name=evidence.original_name,
            content_type=evidence.content_type,
            size=evidence.size,
            sha256=evidence.sha256,
            uploaded_by=evidence.uploaded_by,
            uploaded_at=evidence.uploaded_at,
        )
        with evidence.file.open("rb") as handle:
            files.stage(copy.file, evidence.original_name, handle)
        copies.append(copy)
    return copies


def report_correct(
    *, report: CooperationReport, data: ReportData, evidence: Sequence[EvidenceData] = (), reason: str, user: Any
) -> CooperationReport:
    """File a correction of an archived report: a new draft version; the old one is kept as it is."""
    if not can_write_report(user, report):
        raise PermissionDenied
    check_same_activities(data.activities, report)
    new = _report_from(
        data,
        CooperationReport(
            code=report.code,
            previous=report,
            correction_reason=reason.strip(),
            agreement_id=report.agreement_id,
            created_by=user,
        ),
    )
    new.full_clean(exclude=["version"])  # the version is counted when it is saved
    with StagedFiles() as files:
        copies = _copy_evidence(report, files) if report.status == R.ARCHIVED else []
        stored = evidence_stage(evidence=evidence, user=user, files=files)
        with transaction.atomic():
            old = CooperationReport.objects.select_for_update().get(pk=report.pk)
            if old.status != R.ARCHIVED:
                raise ValidationError(
                    _("Only the archived, current version of a report can be corrected."), code="state"
                )
            if CooperationReport.objects.filter(code=old.code, status=R.DRAFT).exists():
                raise ValidationError(_("A correction of this report is already waiting to be archived."), code="open")
            new.version = (CooperationReport.objects.filter(code=old.code).aggregate(v=Max("version"))["v"] or 0) + 1
            new.previous = old
            reason_text = change_reason(CORRECTION, id=old.identifier)
            save_with_one_record(new, {"activities": list(old.activities.all())}, reason_text)
            _save_evidence(new, copies + stored)
            files.publish()
    return new


def disposal_request(
    *, report: CooperationReport, reason: str, user: Any, today: dt.date | None = None
) -> DisposalRecord:
    if not can_request_disposal(user):
        raise PermissionDenied
    today = today or timezone.localdate()
    with transaction.atomic():
        current = CooperationReport.objects.select_for_update().get(pk=report.pk)
        _check_disposable(current, today)
        if current.disposals.filter(status=DisposalRecord.Status.REQUESTED).exists():
            raise ValidationError(_("A disposal of this record is already waiting for approval."), code="open")
        assert current.retention_until is not None
        disposal = DisposalRecord(
            record_type="report",
            report=current,
            identifier=current.identifier,
            title=current.title,
            archived_at=current.archived_at,
            retention_until=current.retention_until,
            reason=reason.strip(),
            requested_by=user,
        )
        disposal.full_clean()
        disposal.save()
        return disposal


def _check_disposable(report: CooperationReport, today: dt.date) -> None:
    if not report.is_locked or report.retention_until is None:
        raise ValidationError(_("Only archived records can be disposed of."), code="not_archived")
    if today < report.retention_until:
        raise ValidationError(
            _("%(id)s must be kept until %(date)s; it cannot be disposed of before then.")
            % {"id": report.identifier, "date": date_format(report.retention_until)},
            code="retention",
        )


def disposal_approve(
    *, disposal: DisposalRecord, user: Any, note: str = "", today: dt.date | None = None
) -> DisposalRecord:
    """Approve a disposal: the report's content, files and history go; the DisposalRecord stays."""
    if not can_decide_disposal(user, disposal):
        raise PermissionDenied
    today = today or timezone.localdate()
    with transaction.atomic():
        current = DisposalRecord.objects.select_for_update().get(pk=disposal.pk)
        if current.status != DisposalRecord.Status.REQUESTED or current.report_id is None:
            raise ValidationError(_("This request has been decided already."), code="decided")
        report = CooperationReport.objects.select_for_update().get(pk=current.report_id)
        _check_disposable(report, today)
        names = [evidence.file.name for evidence in report.evidence.all()]
        storage = EvidenceFile._meta.get_field("file").storage  # type: ignore[attr-defined]
        current.status = DisposalRecord.Status.APPROVED
        current.decided_by = user
        current.decided_at = timezone.now()
        current.decision_note = note.strip()
        current.files_removed = len(names)
        current.full_clean(exclude=["report"])
        report_pk = report.pk
        report.evidence.all().delete()
        report.delete()
        # The history tables hold copies of the content: they go too (the deletion record as well).
        apps.get_model("archive", "HistoricalCooperationReport_activities").objects.filter(
            cooperationreport_id=report_pk
        ).delete()
        CooperationReport.history.filter(id=report_pk).delete()
        current.report = None  # the row is gone; the tombstone keeps identifier and title
        current.save()
        transaction.on_commit(lambda: _delete_files(storage, names))
    return current


def _delete_files(storage: Any, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def disposal_reject(*, disposal: DisposalRecord, user: Any, note: str) -> DisposalRecord:
    if not can_decide_disposal(user, disposal):
        raise PermissionDenied
    with transaction.atomic():
        current = DisposalRecord.objects.select_for_update().get(pk=disposal.pk)
        if current.status != DisposalRecord.Status.REQUESTED:
            raise ValidationError(_("This request has been decided already."), code="decided")
        current.status = DisposalRecord.Status.REJECTED
        current.decided_by = user
        current.decided_at = timezone.now()
        current.decision_note = note.strip()
        current.full_clean()
        current.save()
    return current
