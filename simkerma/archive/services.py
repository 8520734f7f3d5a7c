from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from simkerma.activities.models import Activity, ActivityStatus
from simkerma.activities.services import activity_transition
from simkerma.archive.models import CooperationReport, DisposalRecord, EvidenceFile, add_years, retention_years
from simkerma.archive.permissions import (
    can_archive,
    can_decide_disposal,
    can_report_on,
    can_request_disposal,
    can_write_report,
)
from simkerma.archive.uploads import check_evidence
from simkerma.core.concurrency import ensure_current, proposed_from_form, submission_claim, submission_record
from simkerma.core.staging import StagedFiles

S = ActivityStatus
R = CooperationReport.Status
CODE_PATTERN = r"^L[0-9]{4}-[0-9]{5}$"
# Content fields a correction copies from the version it corrects.
CONTENT_FIELDS = [
    "title",
    "summary",
    "outputs",
    "outcomes",
    "participants_students",
    "participants_lecturers",
    "participants_other",
    "performance",
    "documentation_link",
    "benefit_learning",
    "benefit_performance",
    "benefit_partner",
    "lead_name",
    "lead_position",
    "acknowledged_by_name",
    "acknowledged_by_position",
]


class ReportLocked(ValidationError):
    """The report is archived: it cannot change; a correction (new version) is the way to fix it."""

    def __init__(self, report: CooperationReport) -> None:
        super().__init__(
            _("Report %(id)s is archived and can no longer be changed. File a correction instead.")
            % {"id": report.identifier},
            code="locked",
        )


def report_next_code(*, year: int) -> str:
    prefix = f"L{year}-"
    last = (
        CooperationReport.objects.filter(code__startswith=prefix, code__regex=CODE_PATTERN)
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    number = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{number:05d}"


def evidence_add(*, report: CooperationReport, upload: UploadedFile, kind: str, user: Any) -> EvidenceFile:
    if report.is_locked:
        raise ReportLocked(report)
    checked = check_evidence(upload)
    evidence = EvidenceFile(
        report=report,
        kind=kind,
        original_name=(upload.name or "file")[-255:],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    with StagedFiles() as files:
        files.stage(evidence.file, upload.name or "file", upload)
        with transaction.atomic():
            evidence.save()
            files.publish()
    return evidence


def evidence_stage(*, evidence_forms: Iterable[Any], user: Any, files: StagedFiles) -> list[EvidenceFile]:
    """Check the new files and write them to the staging area before any transaction begins.

    Parsing a PDF or unpacking an Office file takes time, and writing a file more: neither may
    happen while SQLite's write lock is held. The rows are saved later, inside the transaction,
    which moves the files to their final names when it commits (`files.publish()`).
    """
    staged: list[EvidenceFile] = []
    for form in evidence_forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data.get("file"):
            continue
        upload = data["file"]
        checked = check_evidence(upload)
        evidence = EvidenceFile(
            kind=data["kind"],
            original_name=(upload.name or "file")[-255:],
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        )
        files.stage(evidence.file, upload.name or "file", upload)
        staged.append(evidence)
    return staged


def _save_evidence(report: CooperationReport, staged: list[EvidenceFile]) -> list[EvidenceFile]:
    if staged and report.is_locked:
        raise ReportLocked(report)
    for evidence in staged:
        evidence.pk = None  # a retry after a rolled-back attempt inserts again
        evidence.report = report
        evidence.save()
    return staged


def _refuse_reported(activities: list[Activity]) -> None:
    """One report per activity; changing it later is an edit of the draft or a correction.

    The activities' rows are locked first, so two filings for one activity cannot both pass.
    """
    pks = sorted(a.pk for a in activities)
    list(Activity.objects.select_for_update().filter(pk__in=pks).order_by("pk").values_list("pk", flat=True))
    reported = (
        Activity.objects.filter(pk__in=pks, reports__isnull=False)
        .order_by("code")
        .values_list("code", "reports__code")
        .distinct()
    )
    if reported:
        raise ValidationError(
            {
                "activities": _(
                    "Already reported: %(list)s. Each activity has one report; edit its draft or file a correction."
                )
                % {"list": ", ".join(f"{activity} ({report})" for activity, report in reported)}
            },
            code="already_reported",
        )


def report_file(*, form: Any, evidence_forms: Iterable[Any], user: Any, token: str | None = None) -> CooperationReport:
    """File a report on carried-out activities: saved as a draft, its activities move to dilaporkan.

    An activity that already has a report is refused; a form token used before raises AlreadySubmitted.
    """
    activities: list[Activity] = list(form.cleaned_data["activities"])
    if not can_report_on(user, activities):
        raise PermissionDenied
    report: CooperationReport = form.save(commit=False)
    report.agreement_id = activities[0].agreement_id
    report.created_by = user
    with StagedFiles() as files:
        stored = evidence_stage(evidence_forms=evidence_forms, user=user, files=files)
        for attempt in range(3):
            try:
                with transaction.atomic():
                    _file_report(report, form, activities, user, token, stored)
                    files.publish()
                    return report
            except IntegrityError:
                report.pk = None
                if attempt == 2:
                    raise
    raise AssertionError("unreachable")


def _file_report(
    report: CooperationReport,
    form: Any,
    activities: list[Activity],
    user: Any,
    token: str | None,
    stored: list[EvidenceFile],
) -> None:
    claim = submission_claim(token, purpose="archive.report")
    _refuse_reported(activities)
    report.code = report_next_code(year=timezone.localdate().year)
    report._change_reason = _("filed")  # type: ignore[attr-defined]
    report.save()
    form.save_m2m()
    _save_evidence(report, stored)
    for activity in activities:
        if activity.status == S.TERLAKSANA:
            activity_transition(activity=activity, to=S.DILAPORKAN, user=user, reason=report.code)
    submission_record(claim, report)


def report_update(
    *,
    report: CooperationReport,
    form: Any,
    evidence_forms: Iterable[Any],
    user: Any,
    opened_version: str | None = None,
) -> CooperationReport:
    """Save changes to a draft report. An archived report is refused: it needs a correction."""
    with StagedFiles() as files:
        stored = evidence_stage(evidence_forms=evidence_forms, user=user, files=files)
        with transaction.atomic():
            current = CooperationReport.objects.select_for_update().get(pk=report.pk)
            if current.is_locked:
                raise ReportLocked(current)
            if not can_write_report(user, current):
                raise PermissionDenied
            ensure_current(instance=report, opened_version=opened_version, proposed=proposed_from_form(form))
            report._change_reason = _("edited")  # type: ignore[attr-defined]
            form.save()
            _save_evidence(report, stored)
            files.publish()
            return report


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
        current._change_reason = _("archived")  # type: ignore[attr-defined]
        current.save()
        for activity in current.activities.all():
            if activity.status == S.DILAPORKAN:
                activity_transition(activity=activity, to=S.DIARSIPKAN, user=user, reason=current.identifier)
        if current.previous_id:
            previous = CooperationReport.objects.select_for_update().get(pk=current.previous_id)
            previous.status = R.SUPERSEDED
            previous.is_led_data = False
            previous._change_reason = _("superseded by %(id)s") % {"id": current.identifier}  # type: ignore[attr-defined]
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
    *, report: CooperationReport, form: Any, evidence_forms: Iterable[Any], reason: str, user: Any
) -> CooperationReport:
    """File a correction of an archived report: a new draft version; the old one is kept as it is."""
    if not can_write_report(user, report):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"correction_reason": _("Say what the correction fixes.")})
    with StagedFiles() as files:
        copies = _copy_evidence(report, files) if report.status == R.ARCHIVED else []
        stored = evidence_stage(evidence_forms=evidence_forms, user=user, files=files)
        with transaction.atomic():
            new = _file_correction(report, form, reason, user, copies + stored)
            files.publish()
        return new


def _file_correction(
    report: CooperationReport, form: Any, reason: str, user: Any, evidence: list[EvidenceFile]
) -> CooperationReport:
    with transaction.atomic():
        old = CooperationReport.objects.select_for_update().get(pk=report.pk)
        if old.status != R.ARCHIVED:
            raise ValidationError(_("Only the archived, current version of a report can be corrected."), code="state")
        if CooperationReport.objects.filter(code=old.code, status=R.DRAFT).exists():
            raise ValidationError(_("A correction of this report is already waiting to be archived."), code="open")
        version = (CooperationReport.objects.filter(code=old.code).aggregate(v=Max("version"))["v"] or 0) + 1
        new: CooperationReport = form.save(commit=False)
        new.pk = None
        new.code = old.code
        new.version = version
        new.previous = old
        new.correction_reason = reason
        new.agreement_id = old.agreement_id
        new.status = R.DRAFT
        new.created_by = user
        new._change_reason = _("correction of %(id)s") % {"id": old.identifier}  # type: ignore[attr-defined]
        new.save()
        new.activities.set(old.activities.all())
        _save_evidence(new, evidence)
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
        return DisposalRecord.objects.create(
            record_type="report",
            report=current,
            identifier=current.identifier,
            title=current.title,
            archived_at=current.archived_at,
            retention_until=current.retention_until,
            reason=reason.strip(),
            requested_by=user,
        )


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
        report_pk = report.pk
        report.evidence.all().delete()
        report.delete()
        # The history tables hold copies of the content: they go too (the deletion record as well).
        apps.get_model("archive", "HistoricalCooperationReport_activities").objects.filter(
            cooperationreport_id=report_pk
        ).delete()
        CooperationReport.history.filter(id=report_pk).delete()
        current.report = None  # the row is gone; the tombstone keeps identifier and title
        current.status = DisposalRecord.Status.APPROVED
        current.decided_by = user
        current.decided_at = timezone.now()
        current.decision_note = note.strip()
        current.files_removed = len(names)
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
        current.save()
    return current
