"""The world the access matrix runs in: one person per role, and one of each object a URL names.

Every object names jurusan IF, the coordinator's unit, so the coordinator is inside its scope and
the P3M user (unit P3M) is outside it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from simkerma.accounts.models import Invitation, Role
from simkerma.accounts.services import token_hash
from simkerma.accounts.tests.factories import UserFactory
from simkerma.activities.models import CoordinationRecord
from simkerma.activities.reporting import ActivityOutput, CooperationForm
from simkerma.activities.tests.factories import (
    ActivityFactory,
    CalendarTokenFactory,
    CoordinationRecordFactory,
    FollowUpTaskFactory,
)
from simkerma.agreements.models import Kind
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.api.models import ApiToken, new_secret, secret_hash
from simkerma.archive import services as archive_services
from simkerma.archive.models import DisposalRecord
from simkerma.archive.tests.factories import EvidenceFileFactory, ReportFactory
from simkerma.evaluations.links import new_link
from simkerma.evaluations.tests.factories import (
    EvaluationFactory,
    MonitoringRecordFactory,
    SurveyInvitationFactory,
)
from simkerma.imports.models import ImportJob
from simkerma.org.tests.factories import ProdiFactory, UnitFactory
from simkerma.partners.models import PartnerCategory
from simkerma.partners.tests.factories import PartnerFactory
from simkerma.reports.models import IssuedReport
from simkerma.servicedesk.messages import RequestAttachment, RequestMessage
from simkerma.servicedesk.models import (
    Breach,
    CalendarVersion,
    ClockName,
    DocumentTemplate,
    DraftVersion,
    RequestKind,
)
from simkerma.servicedesk.tests.factories import ServiceRequestFactory

# Who the matrix asks: every role, an account without a role, and nobody logged in.
ANONYMOUS = "anonymous"
NO_ROLE = "no_role"
ROLES = (Role.ADMIN, Role.STAF, Role.KAPOKJA, Role.KOORDINATOR, Role.P3M, Role.PIMPINAN, Role.AUDITOR)
SUBJECTS: tuple[str, ...] = (ANONYMOUS, NO_ROLE, *[str(role) for role in ROLES])

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
WIB = dt.timezone(dt.timedelta(hours=7))


@dataclass
class World:
    users: dict[str, Any]
    objects: dict[str, Any] = field(default_factory=dict)
    # Values that are not objects: raw tokens, encoded ids.
    values: dict[str, str] = field(default_factory=dict)

    def pk(self, name: str) -> int:
        return int(self.objects[name].pk)


def _people(jurusan: Any, prodi: Any, p3m: Any) -> dict[str, Any]:
    units = {Role.KOORDINATOR: {"unit": jurusan, "prodi": prodi}, Role.P3M: {"unit": p3m}}
    users = {str(role): UserFactory(username=f"m.{role}", role=role, **units.get(role, {})) for role in ROLES}
    users[NO_ROLE] = UserFactory(username="m.no_role", role="")
    return users


def _registry(world: World, jurusan: Any, prodi: Any) -> None:
    o = world.objects
    o["unit"], o["prodi"] = jurusan, prodi
    o["category"] = PartnerCategory.objects.create(code="matrix", name="Kategori uji")
    o["partner"] = PartnerFactory(name="PT Matriks Akses")
    o["agreement"] = AgreementFactory(
        kind=Kind.MOA,
        number="901/PKS.PL29/I/2025",
        partners=[o["partner"]],
        prodi=[prodi],
        units=[jurusan],
        signed_scan=ContentFile(b"%PDF-1.4\n", name="scan.pdf"),
    )
    o["activity"] = ActivityFactory(agreement=o["agreement"], units=[jurusan], prodi=[prodi])
    o["output"] = ActivityOutput.objects.create(
        activity=o["activity"],
        title="Aplikasi",
        kind="produk",
        evidence_link="https://mitra.test/b",
        used_on=dt.date(2025, 9, 1),
    )
    o["cooperation_form"] = CooperationForm.objects.create(code="matrix", name="Bentuk uji")
    o["coordination"] = CoordinationRecordFactory(activity=o["activity"], kind=CoordinationRecord.Kind.RAPAT)
    o["task"] = FollowUpTaskFactory(activity=o["activity"], assignee=world.users[Role.KOORDINATOR])
    o["calendar_token"] = CalendarTokenFactory(user=world.users[Role.STAF])


def _archive(world: World, jurusan: Any) -> None:
    o = world.objects
    reported = ActivityFactory(agreement=o["agreement"], units=[jurusan], status="dilaporkan")
    o["report"] = ReportFactory(agreement=o["agreement"], activities=[reported])
    o["evidence"] = EvidenceFileFactory(report=o["report"])
    archived = ReportFactory(
        agreement=o["agreement"],
        activities=[ActivityFactory(agreement=o["agreement"], units=[jurusan], status="dilaporkan")],
    )
    archive_services.report_archive(report=archived, user=world.users[Role.STAF])
    o["archived_report"] = archived
    o["disposal"] = DisposalRecord.objects.create(
        report=archived, identifier=archived.code, title=archived.title, retention_until=dt.date(2020, 1, 1), reason="x"
    )


def _service_desk(world: World) -> None:
    o = world.objects
    request = ServiceRequestFactory(
        partner=o["partner"], agreement=o["agreement"], kind=RequestKind.NEW_DRAFT, document_kind="mou"
    )
    o["request"] = request
    message = RequestMessage.objects.create(
        request=request, direction="in", channel="email", sender="mitra@mitra.test", at=timezone.now()
    )
    o["attachment"] = RequestAttachment.objects.create(
        message=message,
        file=ContentFile(PNG, name="foto.png"),
        original_name="foto.png",
        content_type="image/png",
        size=len(PNG),
        sha256=hashlib.sha256(PNG).hexdigest(),
    )
    o["breach"] = Breach.objects.create(
        request=request, clock=ClockName.RESPONSE, deadline=request.response_due_at, detected_at=timezone.now()
    )
    o["draft"] = DraftVersion.objects.create(
        request=request,
        number=1,
        document_kind="mou",
        created_at=timezone.now(),
        file=ContentFile(b"PK", name="d.docx"),
    )
    o["calendar_version"] = CalendarVersion.objects.create(
        effective_from=dt.datetime(2030, 1, 1, tzinfo=WIB), weekly_hours=[["08:00", "16:00"]] * 5 + [None, None]
    )
    o["template"] = DocumentTemplate.objects.create(
        document_kind="mou", name="MoU", file=ContentFile(b"PK", name="t.docx")
    )


def _evaluations(world: World) -> None:
    o = world.objects
    o["evaluation"] = EvaluationFactory(agreement=o["agreement"])
    o["monitoring"] = MonitoringRecordFactory(agreement=o["agreement"])
    survey = SurveyInvitationFactory(agreement=o["agreement"])
    world.values["survey_token"] = new_link(survey).token
    survey.save()


def _accounts_and_jobs(world: World, jurusan: Any) -> None:
    o, staff = world.objects, world.users[Role.STAF]
    o["account"] = UserFactory(username="m.target", role=Role.STAF)
    world.values["invitation_token"] = "matrix-invitation-token"
    Invitation.objects.create(
        user=UserFactory(username="m.invited", role=Role.STAF),
        token_hash=token_hash(world.values["invitation_token"]),
        expires_at=timezone.now() + dt.timedelta(days=3),
    )
    world.values["uidb64"] = urlsafe_base64_encode(force_bytes(o["account"].pk))
    world.values["reset_token"] = default_token_generator.make_token(o["account"])
    o["api_token"] = ApiToken.objects.create(
        user=staff, name="Sistem uji", prefix="matrix01", key_hash=secret_hash(new_secret())
    )
    o["job"] = ImportJob.objects.create(
        user=staff, file=ContentFile(b"PK", name="x.xlsx"), original_name="x.xlsx", size=2, sha256="0" * 64
    )
    o["issued"] = IssuedReport.objects.create(
        kind="led",
        unit=jurusan,
        year=2025,
        title="LED",
        docx=ContentFile(b"PK", name="led.docx"),
        docx_sha256="0" * 64,
        pdf=ContentFile(b"%PDF", name="led.pdf"),
        pdf_sha256="0" * 64,
        created_by=staff,
        retention_until=dt.date(2031, 1, 1),
    )


def build_world() -> World:
    jurusan = UnitFactory(code="MX", name="Jurusan Matriks")
    prodi = ProdiFactory(code="MX01", name="Prodi Matriks", unit=jurusan)
    p3m = UnitFactory(code="MXP3M", name="P3M Matriks", kind="p3m")
    world = World(users=_people(jurusan, prodi, p3m))
    _registry(world, jurusan, prodi)
    _archive(world, jurusan)
    _service_desk(world)
    _evaluations(world)
    _accounts_and_jobs(world, jurusan)
    return world
