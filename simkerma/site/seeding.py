"""Deterministic synthetic data at a given scale, written in bulk (`manage.py seed_benchmark`, bench/).

Every figure is drawn from one seeded `random.Random`, in primary-key order, so the same scale gives
the same rows on SQLite and PostgreSQL. The KPIs stay meaningful: every 17th prodi is closed before
the period, the last tenth of the prodi is never named by an agreement or an activity (so coverage is
never 100%), and a part of the service requests is never answered (so some clocks breach).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from simkerma.activities.models import Activity, ActivityKind, ActivityStatus
from simkerma.activities.reporting import ActivityFunding
from simkerma.activities.scope import rebuild_scope
from simkerma.agreements.models import Agreement, Kind
from simkerma.archive.models import CooperationReport
from simkerma.core.choices import Field, Level
from simkerma.core.dates import WIB
from simkerma.evaluations.models import Evaluation, SurveyInvitation
from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import Partner, PartnerContact
from simkerma.partners.names import name_key
from simkerma.servicedesk.clocks import clocks_compute
from simkerma.servicedesk.models import Channel, RequestKind, ServiceRequest

BATCH = 5000
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class Scale:
    jurusan: int
    prodi: int
    partners: int
    agreements: int
    activities: int
    service_requests: int
    first_year: int
    last_year: int


SCALES = {
    "small": Scale(
        jurusan=5,
        prodi=20,
        partners=300,
        agreements=600,
        activities=3000,
        service_requests=600,
        first_year=2023,
        last_year=2025,
    ),
    "large": Scale(
        jurusan=20,
        prodi=200,
        partners=20_000,
        agreements=60_000,
        activities=600_000,
        service_requests=300_000,
        first_year=2016,
        last_year=2025,
    ),
}
# The models whose rows make a database "not empty" for seeding.
HOLDS_DATA: tuple[type[models.Model], ...] = (Unit, Prodi, Partner, Agreement, Activity, ServiceRequest)


def database_is_empty() -> bool:
    return not any(model._default_manager.exists() for model in HOLDS_DATA)


def _quiet(step: str, done: int) -> None:
    """No progress shown."""


def seed(scale: Scale, *, seed: int = 17, progress: Progress = _quiet) -> dict[str, int]:
    """Write the whole data set of `scale`; returns the rows written per kind."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not a secret)
    with transaction.atomic():
        jurusan, p3m, prodi = build_org(jurusan=scale.jurusan, prodi=scale.prodi)
        progress("organisation", 1)
        partner_ids = build_partners(scale.partners, contacts=True)
        progress("partners", 1)
        counted_prodi = prodi[: max(1, len(prodi) * 9 // 10)]
        agreements = build_agreements(
            rng, scale.agreements, partner_ids, [*jurusan, p3m], counted_prodi, scale.first_year, scale.last_year
        )
        progress("agreements", 1)
        for done in build_activities(rng, scale.activities, agreements, counted_prodi, funding=True, reports=0.1):
            progress("activities", done)
        build_service_requests(rng, scale.service_requests, scale.first_year, scale.last_year)
        progress("service requests", 1)
        build_evaluations(rng, agreements, scale.last_year)
        progress("evaluations and surveys", 1)
        build_history()
        progress("history", 1)
    rebuild_scope()
    progress("scope", 1)
    return counts()


def counts() -> dict[str, int]:
    kinds: dict[str, Any] = {
        "units": Unit,
        "prodi": Prodi,
        "partners": Partner,
        "contacts": PartnerContact,
        "agreements": Agreement,
        "activities": Activity,
        "funding": ActivityFunding,
        "reports": CooperationReport,
        "service requests": ServiceRequest,
        "evaluations": Evaluation,
        "surveys": SurveyInvitation,
        "agreement history": Agreement.history.model,  # type: ignore[attr-defined]
        "partner history": Partner.history.model,  # type: ignore[attr-defined]
    }
    return {name: model._default_manager.count() for name, model in kinds.items()}


def build_org(
    *, jurusan: int, prodi: int, others: int = 0, closed_in: int = 2015
) -> tuple[list[Unit], Unit, list[Prodi]]:
    """Jurusan J00.., P3M and `others` plain units (U1..), prodi P000.. spread over the jurusan; every
    17th prodi closed (active until `closed_in`)."""
    units = [
        Unit.objects.create(code=f"J{i:02d}", name=f"Jurusan {i}", kind=Unit.Kind.JURUSAN, expected_fields=[])
        for i in range(jurusan)
    ]
    p3m = Unit.objects.create(code="P3M", name="P3M", kind=Unit.Kind.P3M, expected_fields=[])
    for i in range(1, others + 1):
        Unit.objects.create(code=f"U{i}", name=f"Unit {i}", kind=Unit.Kind.UNIT, expected_fields=[])
    rows = [
        Prodi.objects.create(
            code=f"P{i:03d}",
            name=f"Prodi {i}",
            level="D4",
            unit=units[i % jurusan],
            active_until=closed_in if i % 17 == 16 else None,
        )
        for i in range(prodi)
    ]
    return units, p3m, rows


def build_partners(count: int, *, contacts: bool = False, name: Callable[[int], str] | None = None) -> list[int]:
    """Partners B0000000.. named `name(i)` (PT Mitra i), with one contact each when asked."""
    names = [name(i) if name else f"PT Mitra {i}" for i in range(count)]
    Partner.objects.bulk_create(
        [Partner(code=f"B{i:07d}", name=names[i], name_key=name_key(names[i]), kind="industri") for i in range(count)],
        batch_size=BATCH,
    )
    ids = list(Partner.objects.order_by("pk").values_list("pk", flat=True))
    if contacts:
        PartnerContact.objects.bulk_create(
            [
                PartnerContact(partner_id=pk, name=f"Kontak {pk}", position="HR", email=f"kontak{pk}@mitra.example.id")
                for pk in ids
            ],
            batch_size=BATCH,
        )
    return ids


AgreementRow = tuple[int, dt.date, dt.date]


def build_agreements(
    rng: random.Random,
    count: int,
    partner_ids: Sequence[int],
    units: Sequence[Unit],
    prodi: Sequence[Prodi],
    first_year: int,
    last_year: int,
    *,
    unit_counts: Sequence[int] = (1,),
    partner_counts: Sequence[int] = (1, 1, 2),
    prodi_counts: Sequence[int] = (0, 1, 2),
) -> list[AgreementRow]:
    """MoU, MoA and IA in turn, starting over the years given, every 29th terminated early; each with
    partners, units and zero to two prodi. Returns (pk, start, end) in pk order."""
    partner_ids, units, prodi = list(partner_ids), list(units), list(prodi)
    days = (dt.date(last_year, 12, 31) - dt.date(first_year, 1, 1)).days
    rows = []
    for i in range(count):
        start = dt.date(first_year, 1, 1) + dt.timedelta(days=rng.randrange(0, days))
        kind = (Kind.MOU, Kind.MOA, Kind.IA)[i % 3]
        rows.append(
            Agreement(
                kind=kind,
                number=f"{i:06d}/{kind.upper()}.PL29/I/{start.year}",
                title=f"Kerja sama {i}",
                level=rng.choice(Level.values),
                fields=rng.sample(Field.values, rng.randint(1, 3)),
                start_date=start,
                end_date=start + dt.timedelta(days=rng.choice([365, 1095, 1825])),
                terminated_on=start + dt.timedelta(days=200) if i % 29 == 0 else None,
            )
        )
    Agreement.objects.bulk_create(rows, batch_size=BATCH)
    made = list(Agreement.objects.order_by("pk").values_list("pk", "start_date", "end_date"))
    links, a_units, a_prodi = Agreement.partners.through, Agreement.units.through, Agreement.prodi.through
    links.objects.bulk_create(
        [
            links(agreement_id=pk, partner_id=partner)
            for pk, *_ in made
            for partner in rng.sample(partner_ids, rng.choice(partner_counts))
        ],
        batch_size=10000,
    )
    a_units.objects.bulk_create(
        [
            a_units(agreement_id=pk, unit_id=unit.pk)
            for pk, *_ in made
            for unit in rng.sample(units, rng.choice(unit_counts))
        ],
        batch_size=10000,
    )
    a_prodi.objects.bulk_create(
        [
            a_prodi(agreement_id=pk, prodi_id=one.pk)
            for pk, *_ in made
            for one in rng.sample(prodi, rng.choice(prodi_counts))
        ],
        batch_size=10000,
    )
    return made


def build_activities(
    rng: random.Random,
    count: int,
    agreements: Sequence[AgreementRow],
    prodi: Sequence[Prodi],
    *,
    units: Sequence[Unit] = (),
    funding: bool = False,
    reports: float = 0.0,
    after_end: int = 100,
    statuses: Sequence[str] | None = None,
    chunk: int = 50_000,
) -> Any:
    """Activities spread over the agreements in turn, mostly inside their period; a third name their
    own prodi, a tenth their own unit (when units are given), a third have funding rows and a
    `reports` share an archived report. Yields the activities written so far after each chunk."""
    statuses = statuses or [*[ActivityStatus.TERLAKSANA] * 3, ActivityStatus.DIARSIPKAN, *ActivityStatus.values]
    own_prodi, own_units = Activity.prodi.through, Activity.units.through
    for first in range(0, count, chunk):
        batch = []
        for n in range(first, min(first + chunk, count)):
            pk, start, end = agreements[n % len(agreements)]
            day = start + dt.timedelta(days=rng.randrange(0, (end - start).days + after_end))
            batch.append(
                Activity(
                    agreement_id=pk,
                    code=f"K{day.year}-{n:07d}",
                    title=f"Kegiatan {n}",
                    kind=rng.choice(ActivityKind.values),
                    field=rng.choice(Field.values),
                    start_date=day,
                    end_date=day + dt.timedelta(days=rng.randrange(0, 30)),
                    status=rng.choice(statuses),
                    benefit=f"Manfaat kegiatan {n}" if n % 2 else "",
                    evidence=f"https://bukti.example.id/{n}" if n % 5 == 0 else "",
                    distinctive=n % 4 == 0,
                )
            )
        made = Activity.objects.bulk_create(batch, batch_size=BATCH)
        if made and made[0].pk is None:  # back ends that give no primary keys back
            made = list(Activity.objects.filter(code__in=[a.code for a in batch]).order_by("pk"))
        p_links, u_links, money, reported = [], [], [], []
        for activity in made:
            draw = rng.random()
            if draw < 0.33:
                p_links.append(own_prodi(activity_id=activity.pk, prodi_id=rng.choice(prodi).pk))
            if units and draw < 0.1:
                u_links.append(own_units(activity_id=activity.pk, unit_id=rng.choice(units).pk))
            if funding and draw > 0.66:
                amount = rng.randrange(1, 500) * 10**5
                money.append(ActivityFunding(activity_id=activity.pk, year=activity.start_date.year, amount=amount))
            if draw < reports:
                reported.append(activity)
        own_prodi.objects.bulk_create(p_links, batch_size=10000)
        own_units.objects.bulk_create(u_links, batch_size=10000)
        ActivityFunding.objects.bulk_create(money, batch_size=10000)
        build_reports(reported)
        yield first + len(made)


def build_reports(activities: Sequence[Activity]) -> None:
    """One archived cooperation report per activity given, with its link to the activity."""
    reports = CooperationReport.objects.bulk_create(
        [
            CooperationReport(
                code=f"LPK-{activity.pk:07d}",
                agreement_id=activity.agreement_id,
                title=f"Laporan {activity.pk}",
                summary="Terlaksana",
                lead_name="Ketua",
                status=CooperationReport.Status.ARCHIVED,
                documentation_link=f"https://dok.example.id/{activity.pk}",
                benefit_learning="Bahan ajar",
            )
            for activity in activities
        ],
        batch_size=BATCH,
    )
    if reports and reports[0].pk is None:
        found = dict(CooperationReport.objects.filter(code__in=[r.code for r in reports]).values_list("code", "pk"))
        for report in reports:
            report.pk = found[report.code]
    through = CooperationReport.activities.through
    through.objects.bulk_create(
        [
            through(cooperationreport_id=report.pk, activity_id=activity.pk)
            for report, activity in zip(reports, activities, strict=True)
        ],
        batch_size=10000,
    )


def build_service_requests(rng: random.Random, count: int, first_year: int, last_year: int) -> None:
    """Requests received over the years in office and night hours; nine in ten answered (most within
    minutes, some late), the rest never, so their clocks breach; drafts and follow-ups for a part."""
    minutes = (last_year - first_year + 1) * 365 * 24 * 60
    rows = []
    for n in range(count):
        received = dt.datetime(first_year, 1, 1, tzinfo=WIB) + dt.timedelta(minutes=rng.randrange(0, minutes))
        draft = n % 5 == 0
        request = ServiceRequest(
            code=f"LYN-B-{n:06d}",
            token=f"bench{n:058d}",
            channel=Channel.EMAIL,
            kind=RequestKind.NEW_DRAFT if draft else RequestKind.INFORMATION,
            document_kind="mou" if draft else "",
            subject=f"Permintaan {n}",
            requester_name=f"Pemohon {n}",
            from_partner=n % 3 == 0,
            received_at=received,
        )
        clocks_compute(request)
        if rng.random() < 0.9:
            request.responded_at = received + dt.timedelta(minutes=rng.choice([5, 10, 14, 30, 600]))
        if draft and rng.random() < 0.8:
            request.draft_sent_at = received + dt.timedelta(hours=rng.choice([4, 20, 50]))
        if request.from_partner and rng.random() < 0.7:
            request.followed_up_at = received + dt.timedelta(hours=rng.choice([5, 22, 70]))
        rows.append(request)
        if len(rows) == BATCH:
            ServiceRequest.objects.bulk_create(rows)
            rows = []
    ServiceRequest.objects.bulk_create(rows)


def build_evaluations(rng: random.Random, agreements: Sequence[AgreementRow], last_year: int) -> None:
    """Every second agreement evaluated in its first year (up to `last_year`), with one survey of its
    first partner's contact per evaluation, two in three answered."""
    evaluations, surveys = [], []
    contacts = dict(
        Agreement.partners.through.objects.order_by("pk").values_list("agreement_id", "partner__contacts__pk")
    )
    partner_contacts = dict(PartnerContact.objects.values_list("pk", "partner_id"))
    for index, (pk, start, _end) in enumerate(agreements):
        if index % 2 or start.year > last_year:
            continue
        kepuasan = rng.randint(1, 4)
        evaluations.append(
            Evaluation(
                agreement_id=pk,
                year=start.year,
                benefit=rng.random() < 0.8,
                performance=rng.random() < 0.7,
                kepuasan=kepuasan,
                keberlanjutan=kepuasan >= 3,
                effectiveness=rng.randint(1, 4),
            )
        )
        contact = contacts.get(pk)
        if contact is None or contact not in partner_contacts:
            continue
        sent = dt.datetime(start.year, 12, 1, 9, tzinfo=WIB)
        answered = rng.random() < 2 / 3
        surveys.append(
            SurveyInvitation(
                agreement_id=pk,
                year=start.year,
                contact_id=contact,
                name=f"Kontak {partner_contacts[contact]}",
                email=f"kontak{partner_contacts[contact]}@mitra.example.id",
                sent_at=sent,
                expires_at=sent + dt.timedelta(days=30),
                answered_at=sent + dt.timedelta(days=rng.randint(1, 20)) if answered else None,
                satisfaction=rng.randint(1, 4) if answered else None,
                intends_to_continue=rng.random() < 0.8 if answered else None,
            )
        )
    Evaluation.objects.bulk_create(evaluations, batch_size=BATCH)
    SurveyInvitation.objects.bulk_create(surveys, batch_size=BATCH)


def build_history() -> None:
    """One "created" history row per partner and per agreement, dated when the agreement began."""
    for model in (Partner, Agreement):
        for first in range(0, model._default_manager.count(), BATCH):
            objects = list(model._default_manager.order_by("pk")[first : first + BATCH])
            model.history.bulk_history_create(  # type: ignore[attr-defined]
                objects, batch_size=BATCH, default_change_reason="seed_benchmark"
            )
