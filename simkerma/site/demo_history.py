"""Three years of the demo institution's history: activities, service requests, evaluations.

Everything is drawn from one seeded random generator, so two loads give the same history. The
years are this one and the two before it; some prodi are left uncovered each year and one jurusan
misses a field in a year, so the KPIs show both sides of their targets.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db.models.signals import m2m_changed, post_save
from django.utils import timezone

from simkerma.accounts.models import User
from simkerma.activities import scope
from simkerma.activities.models import IMPORTED, Activity, ActivityKind, ActivityStatus
from simkerma.agreements.models import Agreement, Kind
from simkerma.core.choices import Field
from simkerma.core.dates import WIB
from simkerma.core.history import change_reason
from simkerma.evaluations.data import EvaluationData, MonitoringRecordData, SurveyAnswerData
from simkerma.evaluations.links import new_link
from simkerma.evaluations.models import MonitoringStatus, Recommendation
from simkerma.evaluations.services import (
    evaluation_archive,
    evaluation_save,
    monitoring_record_save,
    survey_answer,
    survey_remind,
    survey_send,
)
from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import Partner, PartnerContact
from simkerma.servicedesk.models import (
    CLOCK_BY_NAME,
    DOCUMENT_KINDS_WANTED,
    Breach,
    Channel,
    ClockName,
    RequestKind,
    ServiceRequest,
)
from simkerma.servicedesk.services import (
    ServiceRequestData,
    breach_give_reason,
    breaches_detect,
    service_request_create,
    service_request_draft_delivered,
    service_request_follow_up,
    service_request_respond,
)

SEED = 20250303
EDU, RES, PKM = Field.PENDIDIKAN, Field.PENELITIAN, Field.PKM
# Years before this one -> the active prodi no activity names that year.
UNCOVERED = {
    2: ("IF06", "MB05", "TM02"),
    1: ("EL03", "IF03", "IF06", "MB05", "TM02"),
    0: ("MB05", "TM02"),
}
# Carried out longer ago than this, an activity is reported; twice as long ago, archived too.
REPORTED_AFTER_DAYS = 60
# Activities each year that name no prodi and take their agreement's units (P3M's among them).
UNIT_ACTIVITIES = (("utcm-riset", RES, 3), ("literasi-pkm", PKM, 2), ("pemkot", PKM, 1), ("desa", PKM, 1))
# (years before this one, jurusan) -> fields it carries out nothing in that year.
FIELD_GAPS = {(2, "MB"): {RES}, (1, "TM"): {RES}}
# Activities fall under the narrower agreements more often than under an umbrella MoU.
KIND_WEIGHTS: dict[str, int] = {Kind.IA: 4, Kind.MOA: 3}
KINDS: dict[str, tuple[tuple[str, str], ...]] = {
    EDU: (
        (ActivityKind.KULIAH_TAMU, "Kuliah tamu praktisi"),
        (ActivityKind.MAGANG, "Magang mahasiswa"),
        (ActivityKind.PELATIHAN, "Pelatihan dosen"),
        (ActivityKind.SERTIFIKASI, "Sertifikasi kompetensi"),
        (ActivityKind.KUNJUNGAN, "Kunjungan industri"),
    ),
    RES: (
        (ActivityKind.PENELITIAN_BERSAMA, "Penelitian terapan bersama"),
        (ActivityKind.PENELITIAN_BERSAMA, "Riset dan publikasi bersama"),
    ),
    PKM: (
        (ActivityKind.PKM, "Pengabdian kepada masyarakat"),
        (ActivityKind.PELATIHAN, "Pelatihan masyarakat"),
    ),
}
BENEFIT: dict[str, str] = {
    EDU: "Mahasiswa memperoleh pengalaman kerja dan materi dari praktisi industri.",
    RES: "Dosen dan mitra menghasilkan prototipe dan artikel bersama.",
    PKM: "Masyarakat sasaran memperoleh keterampilan baru.",
}
SATISFACTION_REASONS = {True: "Mitra puas dan ingin melanjutkan.", False: "Mitra belum puas dengan koordinasi."}
EVIDENCE = "Laporan kegiatan, daftar hadir dan dokumentasi (arsip Humas)."
CANCEL_REASONS = ("Jadwal mitra bentrok dengan audit internal.", "Peserta tidak mencukupi kuota.")
BREACH_REASONS = (
    "Staf sedang mendampingi kunjungan mitra di luar kampus.",
    "Permintaan masuk bersamaan dengan penutupan semester.",
    "Draf menunggu masukan unit terkait.",
    "Gangguan jaringan kampus.",
)
# The kinds of a month's requests: 0 information, 1 a draft, 2 cooperation or other (see _request).
MONTHLY_REQUESTS = (0, 1, 2, 0)
REQUESTERS = (
    ("Budi Santoso", "HR Manager"),
    ("Siti Aminah", "Direktur"),
    ("Hendra Wijaya", "Kepala Bidang"),
    ("Maya Putri", "CEO"),
    ("Irwan Syah", "Kepala Bappeda"),
    ("Lina Kusuma", "GM Operasional"),
)
SUBJECTS = {
    RequestKind.INFORMATION: ("Informasi prosedur kerja sama", "Jadwal penerimaan mahasiswa magang"),
    RequestKind.NEW_DRAFT: ("Draf MoA praktik kerja industri", "Draf MoU pengembangan SDM"),
    RequestKind.REVISION: ("Revisi draf PKS magang", "Revisi pasal pembiayaan MoA"),
    RequestKind.NEW_COOPERATION: ("Pengajuan kerja sama penelitian", "Pengajuan kerja sama pelatihan"),
    RequestKind.OTHER: ("Permohonan narasumber seminar", "Undangan pameran industri"),
}


@contextmanager
def scope_rebuilt_once() -> Iterator[None]:
    """Create many activities with the scope table rebuilt once at the end (rebuild_scope), rather
    than refreshed after each activity's save and each change of its units and prodi.

    Should the table's upkeep ever listen under other names, nothing is held back: the load is
    slower, and the table just as right.
    """
    uid = "activities.scope.activity"
    held = [(post_save, Activity, uid)]
    held += [(m2m_changed, getattr(Activity, name).through, f"{uid}.{name}") for name in ("units", "prodi")]
    for signal, sender, dispatch_uid in held:
        signal.disconnect(sender=sender, dispatch_uid=dispatch_uid)
    try:
        yield
        scope.rebuild_scope()
    finally:
        scope.connect()


class DemoHistory:
    """The demo's history, built relative to `today` from the agreements made before it."""

    def __init__(
        self,
        *,
        today: dt.date,
        units: dict[str, Unit],
        prodi: dict[str, Prodi],
        users: dict[str, User],
        agreements: dict[str, Agreement],
        seed: int,
    ) -> None:
        self.today = today
        self.units = units
        self.prodi = prodi
        self.users = users
        self.agreements = agreements
        self.rng = random.Random(seed)  # noqa: S311 (a repeatable demo, not a secret)
        self.codes: defaultdict[int, int] = defaultdict(int)
        self.agreement_units = {a.pk: {u.code for u in a.units.all()} for a in agreements.values()}
        self.agreement_prodi = {a.pk: {p.code for p in a.prodi.all()} for a in agreements.values()}

    # Activities ------------------------------------------------------------------------------

    def activities(self) -> None:
        with scope_rebuilt_once():
            for back in (2, 1, 0):
                self._year(back)
            self._upcoming()

    def _window(self, year: int) -> tuple[dt.date, dt.date]:
        return dt.date(year, 1, 8), min(dt.date(year, 12, 18), self.today - dt.timedelta(days=3))

    def _year(self, back: int) -> None:
        year = self.today.year - back
        active = [p for p in self.prodi.values() if p.active_from is None or p.active_from <= year]
        covered = [p for p in active if p.code not in UNCOVERED[back]]
        done: defaultdict[str, set[str]] = defaultdict(set)
        for p in covered:
            for n in range(self.rng.choice((1, 1, 2, 2, 3))):
                carried_out = n == 0 or self.rng.random() < 0.85
                field = self._activity_for(p, year, back, carried_out=carried_out)
                if carried_out and field:
                    done[p.unit.code].add(field)
        for unit in self.units.values():
            if unit.kind != Unit.Kind.JURUSAN:
                continue
            missing = set(unit.expected_fields) - done[unit.code] - FIELD_GAPS.get((back, unit.code), set())
            for field in sorted(missing):
                p = self.rng.choice([q for q in covered if q.unit_id == unit.pk])
                self._activity_for(p, year, back, carried_out=True, field=field)
        for key, field, count in UNIT_ACTIVITIES:
            for _ in range(count):
                self._activity_under(self.agreements[key], year, field=field, prodi=None, carried_out=True)
        for p in self.rng.sample([q for q in active if q.code in UNCOVERED[back]], 2):
            self._activity_for(p, year, back, carried_out=False, cancelled=True)
        day = dt.date(year, 9, 10) if back == 1 else dt.date(year, 2, 12)
        if back < 2 and day < self.today:
            # Carried out under a cooperation ended early, after its end: it counts for nothing.
            self._create(
                self.agreements["galangan-las"], day, EDU, [self.prodi["TM03"]], ActivityStatus.TERLAKSANA, year
            )

    def _upcoming(self) -> None:
        """Planned and coordinated activities of the coming weeks, and a few not yet carried out."""
        year = self.today.year
        for offset, status in ((-10, ActivityStatus.DIKOORDINASIKAN), (-5, ActivityStatus.DIKOORDINASIKAN)):
            self._plan(self.today + dt.timedelta(days=offset), status, year)
        for offset in (4, 9, 16, 23, 38):
            status = ActivityStatus.DIKOORDINASIKAN if offset < 10 else ActivityStatus.RENCANA
            self._plan(self.today + dt.timedelta(days=offset), status, year)

    def _plan(self, day: dt.date, status: str, year: int) -> None:
        agreements = [a for a in self.agreements.values() if self._valid(a, day) and self.agreement_prodi[a.pk]]
        agreement = self.rng.choice(sorted(agreements, key=lambda a: a.number))
        p = self.prodi[self.rng.choice(sorted(self.agreement_prodi[agreement.pk]))]
        self._create(agreement, day, self.rng.choice(agreement.fields), [p], status, year)

    @staticmethod
    def _valid(agreement: Agreement, day: dt.date) -> bool:
        ended = agreement.terminated_on is not None and agreement.terminated_on <= day
        return agreement.start_date <= day <= agreement.end_date and not ended

    def _last_valid(self, agreement: Agreement) -> dt.date:
        if agreement.terminated_on is not None:
            return min(agreement.end_date, agreement.terminated_on - dt.timedelta(days=1))
        return agreement.end_date

    def _serves(self, agreement: Agreement, p: Prodi) -> bool:
        return p.code in self.agreement_prodi[agreement.pk] or p.unit.code in self.agreement_units[agreement.pk]

    def _activity_for(
        self,
        p: Prodi,
        year: int,
        back: int,
        *,
        carried_out: bool,
        field: str | None = None,
        cancelled: bool = False,
    ) -> str | None:
        """One activity naming `p`, under an agreement that serves it and is valid in the year."""
        first, last = self._window(year)
        allowed = {field} if field else {EDU, RES, PKM} - FIELD_GAPS.get((back, p.unit.code), set())
        candidates = [
            a
            for a in self.agreements.values()
            if self._serves(a, p)
            and set(a.fields) & allowed
            and max(first, a.start_date) <= min(last, self._last_valid(a))
        ]
        if not candidates:
            return None
        weights = [KIND_WEIGHTS.get(a.kind, 1) for a in candidates]
        agreement = self.rng.choices(candidates, weights=weights)[0]
        chosen = self.rng.choice(sorted(set(agreement.fields) & allowed))
        # An activity under an IA for this one prodi names none and takes the IA's.
        named = None if self.agreement_prodi[agreement.pk] == {p.code} else [p]
        self._activity_under(agreement, year, field=chosen, prodi=named, carried_out=carried_out, cancelled=cancelled)
        return chosen

    def _activity_under(
        self,
        agreement: Agreement,
        year: int,
        *,
        field: str,
        prodi: list[Prodi] | None,
        carried_out: bool,
        cancelled: bool = False,
    ) -> None:
        first, last = self._window(year)
        first, last = max(first, agreement.start_date), min(last, self._last_valid(agreement))
        if last < first:  # the agreement is not valid in this year
            return
        day = first + dt.timedelta(days=self.rng.randint(0, (last - first).days))
        if cancelled:
            status = ActivityStatus.BATAL
        elif carried_out:
            status = ActivityStatus.TERLAKSANA
        else:
            status = self.rng.choice((ActivityStatus.RENCANA, ActivityStatus.DIKOORDINASIKAN, ActivityStatus.BATAL))
        self._create(agreement, day, field, prodi or [], status, year)

    def _reported(self, day: dt.date) -> str:
        """Older activities carried out have been reported and archived; the recent ones wait for their report."""
        age = (self.today - day).days
        if age > REPORTED_AFTER_DAYS * 2:
            return ActivityStatus.DIARSIPKAN
        return ActivityStatus.DILAPORKAN if age > REPORTED_AFTER_DAYS else ActivityStatus.TERLAKSANA

    def _create(
        self, agreement: Agreement, day: dt.date, field: str, prodi: Sequence[Prodi], status: str, year: int
    ) -> Activity:
        self.codes[year] += 1
        kind, base = self.rng.choice(KINDS[field])
        topic = prodi[0].name if prodi else agreement.title
        carried_out = status == ActivityStatus.TERLAKSANA
        if carried_out:
            status = self._reported(day)
        activity = Activity.create_imported(
            status=status,
            agreement=agreement,
            code=f"K{year}-D{self.codes[year]:04d}",
            title=f"{base}: {topic}",
            kind=kind,
            field=field,
            start_date=day,
            end_date=day + dt.timedelta(days=self.rng.choice((0, 0, 1, 4))),
            place="Politeknik Negeri Batam",
            pic=self.users["staf"],
            expected_students=self.rng.randint(15, 60) if field == EDU else 0,
            expected_lecturers=self.rng.randint(1, 5),
            benefit=BENEFIT[field] if carried_out else "",
            evidence=EVIDENCE if carried_out else "",
            cancel_reason=self.rng.choice(CANCEL_REASONS) if status == ActivityStatus.BATAL else "",
            created_by=self.users["staf"],
        )
        if prodi:
            # It counts for its prodi's jurusan alone, not for every unit of the agreement: where the
            # agreement names other units, the activity names its jurusan.
            jurusan = {p.unit_id for p in prodi}
            if self.agreement_units[agreement.pk] - {p.unit.code for p in prodi}:
                activity.units.set(jurusan)
            activity.prodi.set(prodi)
        return activity

    # Service requests -----------------------------------------------------------------------

    def requests(self, partners: dict[str, Partner]) -> None:
        """Four requests a month over the three years (two asking for information, one for a draft, one
        for cooperation or something else), answered on time or late, and a few open now."""
        now = timezone.now()
        partner_list = sorted(partners.values(), key=lambda p: p.code)
        for back in (2, 1, 0):
            year = self.today.year - back
            for month in range(1, 13):
                for slot in MONTHLY_REQUESTS:
                    received = self._received(year, month)
                    if received > now - dt.timedelta(days=3):
                        continue
                    self._answered(self._request(slot, received, partner_list), now)
        self._open_now(now, partner_list)
        breaches_detect(now=now)
        # Past years' breaches all have their reason; a few of this year's still wait for one.
        for breach in Breach.objects.order_by("pk"):
            if breach.deadline.astimezone(WIB).year < self.today.year or self.rng.random() < 0.6:
                breach_give_reason(breach=breach, reason=self.rng.choice(BREACH_REASONS), user=self.users["kapokja"])

    def _received(self, year: int, month: int) -> dt.datetime:
        day = dt.date(year, month, self.rng.randint(2, 27))
        if day.weekday() >= 5 and self.rng.random() < 0.8:
            day += dt.timedelta(days=7 - day.weekday())
        hour = self.rng.randint(8, 14) if self.rng.random() < 0.85 else self.rng.randint(17, 21)
        return dt.datetime.combine(day, dt.time(hour, self.rng.randint(0, 59)), tzinfo=WIB)

    def _request(self, slot: int, received: dt.datetime, partners: list[Partner]) -> ServiceRequest:
        if slot == 0:
            kind, from_partner = RequestKind.INFORMATION, self.rng.random() < 0.4
        elif slot == 1:
            kind, from_partner = self.rng.choice((RequestKind.NEW_DRAFT, RequestKind.REVISION)), True
        else:
            kind = self.rng.choice((RequestKind.NEW_COOPERATION, RequestKind.OTHER))
            from_partner = self.rng.random() < 0.6
        channel = self.rng.choice(
            (Channel.WEB, Channel.EMAIL, Channel.WHATSAPP, Channel.TELEPON, Channel.LANGSUNG, Channel.SURAT)
        )
        partner = self.rng.choice(partners)
        name, position = self.rng.choice(REQUESTERS)
        data = ServiceRequestData(
            channel=channel,
            kind=kind,
            document_kind=self.rng.choice(("mou", "moa")) if kind in DOCUMENT_KINDS_WANTED else "",
            from_partner=from_partner,
            partner=partner if from_partner else None,
            subject=self.rng.choice(SUBJECTS[kind]),
            requester_name=name,
            requester_position=position,
            requester_organisation=partner.name if from_partner else "Politeknik Negeri Batam",
            received_at=received,
        )
        # The web form is open to anyone; every other channel is logged by the staff.
        user = None if channel == Channel.WEB else self.users["staf"]
        return service_request_create(data=data, user=user, send_receipt=False)

    def _moment(self, request: ServiceRequest, clock: str, late: float, after: dt.datetime | None) -> dt.datetime:
        """A moment the clock stops: on time (before its deadline) or, with chance `late`, past its limit."""
        columns = CLOCK_BY_NAME[clock]
        due, limit = getattr(request, columns.due), getattr(request, columns.late)
        if self.rng.random() < late:
            at = limit + dt.timedelta(minutes=self.rng.randint(20, 60 * 24 * 3))
        else:
            at = request.received_at + (due - request.received_at) * self.rng.uniform(0.2, 0.95)
        return max(at, after) if after else at

    def _answered(self, request: ServiceRequest, now: dt.datetime) -> None:
        staff = self.users["staf"]
        responded = self._moment(request, ClockName.RESPONSE, 0.12, None)
        if responded > now:
            return
        service_request_respond(request=request, at=responded, note="Ditanggapi oleh staf.", user=staff)
        if request.followup_due_at is not None:
            at = self._moment(request, ClockName.FOLLOWUP, 0.1, responded)
            if at <= now:
                service_request_follow_up(request=request, at=at, note="Ditindaklanjuti dengan mitra.", user=staff)
        if request.draft_due_at is not None:
            at = self._moment(request, ClockName.DRAFT, 0.25, responded)
            if at <= now:
                self._draft_delivered(request, at)

    @staticmethod
    def _draft_delivered(request: ServiceRequest, at: dt.datetime) -> None:
        # The draft itself was written outside Simkerma before the demo: its delivery is taken over.
        service_request_draft_delivered(request=request, at=at)
        request._change_reason = change_reason(IMPORTED)  # type: ignore[attr-defined]
        request.save()

    def _open_now(self, now: dt.datetime, partners: list[Partner]) -> None:
        """Requests that came in just now: their clocks are still running."""
        self._request(0, now - dt.timedelta(minutes=3), partners)
        self._request(1, now - dt.timedelta(minutes=2), partners)
        request = self._request(2, now - dt.timedelta(minutes=30), partners)
        service_request_respond(
            request=request,
            at=request.received_at + dt.timedelta(minutes=1),
            note="Ditanggapi.",
            user=self.users["staf"],
        )

    # Evaluations and surveys ------------------------------------------------------------------

    def evaluations(self) -> None:
        """Each year's evaluations of the agreements carried out under, a few left unevaluated; this
        year's partner surveys (answered, reminded, waiting) and monitoring lines."""
        now = timezone.now()
        kapokja = self.users["kapokja"]
        this_year = self.today.year
        for back in (2, 1, 0):
            year = this_year - back
            ids = set(Activity.objects.carried_out_in(year).values_list("agreement_id", flat=True))
            counted = sorted((a for a in self.agreements.values() if a.pk in ids), key=lambda a: a.number)
            surveyed = set(self.rng.sample(counted, 4)) if year == this_year else set()
            # Not evaluated (yet): listed as such in the KPI report.
            skipped = set(self.rng.sample([a for a in counted if a not in surveyed], 2))
            for agreement in counted:
                if agreement in skipped:
                    continue
                evaluation = evaluation_save(
                    data=self._evaluation(agreement, year, surveyed=agreement in surveyed), user=kapokja
                )
                if year < this_year:
                    # A past year's evaluation was archived with the LED data early the next year.
                    archived = dt.datetime(year + 1, 1, 20, 10, tzinfo=WIB)
                    evaluation_archive(evaluation=evaluation, user=kapokja, now=archived)
            if surveyed:
                self._surveys(sorted(surveyed, key=lambda a: a.number), counted, year, now)
        self._monitoring(this_year)

    def _evaluation(self, agreement: Agreement, year: int, *, surveyed: bool) -> EvaluationData:
        benefit = self.rng.random() < 0.9
        performance = self.rng.random() < 0.8
        kepuasan = self.rng.choice((2, 3, 3, 4, 4, 4))
        keberlanjutan = kepuasan > 2 or self.rng.random() < 0.3
        satisfied = kepuasan >= 3 and keberlanjutan
        if not keberlanjutan:
            recommendation = Recommendation.HENTIKAN
        elif agreement.end_date.year <= year + 1:
            recommendation = Recommendation.PERPANJANG
        else:
            recommendation = Recommendation.LANJUT if benefit and performance else Recommendation.REVISI
        return EvaluationData(
            agreement=agreement,
            year=year,
            benefit=benefit,
            benefit_reason="Kegiatan mendukung pembelajaran dan penelitian." if benefit else "Manfaat belum terukur.",
            performance=performance,
            performance_reason="Sarana praktik bertambah." if performance else "Belum ada peningkatan fasilitas.",
            # Where the partners answered the survey, their answers give kepuasan and keberlanjutan.
            satisfaction=None if surveyed else satisfied,
            satisfaction_reason=""
            if surveyed
            else ("Mitra puas dan ingin melanjutkan." if satisfied else "Mitra ragu."),
            kepuasan=None if surveyed else kepuasan,
            keberlanjutan=None if surveyed else keberlanjutan,
            effectiveness=self.rng.choice((2, 3, 3, 4)),
            recommendation=recommendation,
            reviewer=self.users["kapokja"],
        )

    def _surveys(self, surveyed: list[Agreement], counted: list[Agreement], year: int, now: dt.datetime) -> None:
        staff = self.users["staf"]
        sent = now - dt.timedelta(days=12)
        for agreement in surveyed:
            contacts = list(PartnerContact.objects.filter(partner__agreements=agreement).order_by("pk"))
            for invitation in survey_send(agreement=agreement, year=year, contacts=contacts, user=staff, now=sent):
                link = new_link(invitation)
                invitation.save(update_fields=["nonce_hash"])
                score = self.rng.choice((3, 3, 4, 4, 2))
                answer = SurveyAnswerData(
                    satisfaction=score,
                    communication=self.rng.choice((3, 4)),
                    usefulness=self.rng.choice((3, 4)),
                    intends_to_continue=score > 2,
                    comments="Kerja sama berjalan baik." if score > 2 else "Koordinasi jadwal perlu diperbaiki.",
                )
                survey_answer(token=link.token, data=answer, now=sent + dt.timedelta(days=self.rng.randint(1, 6)))
        waiting = [a for a in counted if a not in surveyed][:2]
        for n, agreement in enumerate(waiting):
            contacts = list(PartnerContact.objects.filter(partner__agreements=agreement).order_by("pk"))
            for invitation in survey_send(agreement=agreement, year=year, contacts=contacts, user=staff, now=sent):
                if n == 0:
                    survey_remind(invitation=invitation, now=now - dt.timedelta(days=4))

    def _monitoring(self, year: int) -> None:
        """The monitoring log (BO.28.1.2) of this year's activities carried out, quarter by quarter."""
        staff = self.users["staf"]
        activities = Activity.objects.carried_out_in(year).select_related("agreement").order_by("start_date", "pk")
        for activity in activities:
            quarter = (activity.start_date.month - 1) // 3 + 1
            monitoring_record_save(
                data=MonitoringRecordData(
                    agreement=activity.agreement,
                    year=year,
                    quarter=quarter,
                    activity=activity,
                    activity_title=activity.title,
                    status=MonitoringStatus.DONE,
                    monitored_on=min(self.today, activity.start_date + dt.timedelta(days=14)),
                    benefit=activity.benefit,
                    evidence=activity.evidence,
                    pic=staff.display_name,
                ),
                user=staff,
            )
