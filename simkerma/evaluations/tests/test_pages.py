import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from simkerma.activities.models import ActivityStatus
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.core.models import Notice
from simkerma.evaluations.planner import plan_evaluation_reminders
from simkerma.evaluations.tests.factories import (
    EvaluationFactory,
    MonitoringRecordFactory,
    SurveyInvitationFactory,
    answered,
)

pytestmark = pytest.mark.django_db


def _evaluated(n, year=2025):
    for i in range(n):
        agreement = AgreementFactory(number=f"EV-{i + 1:03d}")
        ActivityFactory(agreement=agreement, status=ActivityStatus.TERLAKSANA, start_date=dt.date(year, 3, 1))
        EvaluationFactory(agreement=agreement, year=year, notes=f"Catatan {i}")
        ActivityFactory(
            agreement=AgreementFactory(), status=ActivityStatus.TERLAKSANA, start_date=dt.date(year, 3, 1)
        )  # due


def _index_queries(client, user, n, django_assert_num_queries):
    _evaluated(n)
    client.force_login(user)
    url = reverse("evaluations:index") + "?year=2025"
    client.get(url)  # warm the session and the cache
    with django_assert_num_queries(QUERIES["index"]) as captured:
        page = client.get(url)
    assert page.status_code == 200
    return page, captured


# The index: the session, the user, the due ids (their versions; the tests' cache is in memory) and
# the page's agreements, the evaluations' count and page.
QUERIES = {"index": 8, "agreement": 11}


@pytest.mark.parametrize("n", [1, 12])
def test_it_lists_the_years_evaluations_and_those_still_due_in_the_same_queries(
    client, staff, n, django_assert_num_queries
):
    page, _ = _index_queries(client, staff, n, django_assert_num_queries)
    content = page.content.decode()
    assert content.count("Catatan") == 0  # notes are on the detail page
    assert content.count('href="/evaluasi/dokumen/') == n  # the agreements still due
    assert content.count("EV-") == n  # the evaluated ones


def test_it_pages_both_lists_and_the_due_ids_follow_each_evaluation(client, staff):
    _evaluated(30)
    client.force_login(staff)
    url = reverse("evaluations:index")

    def listed(page, section):
        html = page.content.decode()
        part = html[html.index(f'id="{section}"') :]
        part = part[: part.index("</section>")]
        return part.count('href="/evaluasi/dokumen/' if section == "due" else "EV-"), part

    first = client.get(url, {"year": 2025})
    assert listed(first, "due")[0] == 25 and listed(first, "evaluated")[0] == 25
    assert '<span class="badge" id="due-count">30</span>' in first.content.decode()
    assert "?year=2025&amp;due=2" in listed(first, "due")[1]
    assert "?year=2025&amp;page=2" in listed(first, "evaluated")[1]
    second = client.get(url, {"year": 2025, "due": 2, "page": 2})
    assert listed(second, "due")[0] == 5 and listed(second, "evaluated")[0] == 5

    # An evaluation written takes its agreement off the cached list at once.
    due = first.context["due"].object_list[0]
    EvaluationFactory(agreement=due, year=2025)
    after = client.get(url, {"year": 2025})
    assert '<span class="badge" id="due-count">29</span>' in after.content.decode()
    assert due not in after.context["due"].object_list


def test_it_refuses_the_outsider(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("evaluations:index")).status_code == 403


@pytest.mark.parametrize("n", [1, 8])
def test_it_shows_the_response_rate_on_the_agreements_page_in_the_same_queries(
    client, staff, n, django_assert_num_queries
):
    agreement = AgreementFactory()
    EvaluationFactory(agreement=agreement, year=2025)
    for i in range(n):
        MonitoringRecordFactory(agreement=agreement, year=2025, quarter=1 + i % 4)
        answered(agreement, 2025, 3)
        SurveyInvitationFactory(agreement=agreement, year=2025)
    SurveyInvitationFactory(agreement=agreement, year=2025)
    client.force_login(staff)
    url = reverse("evaluations:agreement", args=[agreement.pk])
    client.get(url)
    with django_assert_num_queries(QUERIES["agreement"]):
        page = client.get(url)
    content = page.content.decode()
    rate = f"{n * 100 / (2 * n + 1):.2f}".replace(".", ",")  # shown as the Indonesian locale writes it
    assert f"2025: {n} dari {2 * n + 1} menjawab ({rate}%)" in content


def test_it_creates_an_evaluation_through_the_form(client, kapokja):
    agreement = AgreementFactory()
    client.force_login(kapokja)
    url = reverse("evaluations:create", args=[agreement.pk]) + "?year=2025"
    page = client.post(
        url,
        {
            "benefit": "true",
            "performance": "false",
            "satisfaction": "true",
            "kepuasan": "",
            "keberlanjutan": "",
            "effectiveness": "4",
            "recommendation": "perpanjang",
            "benefit_reason": "Dipakai",
        },
    )
    assert page.status_code == 302
    evaluation = agreement.evaluations.get()
    assert (evaluation.year, evaluation.benefit, evaluation.performance, evaluation.kepuasan) == (
        2025,
        True,
        False,
        None,
    )
    assert (evaluation.recommendation, evaluation.reviewer) == ("perpanjang", kapokja)


def test_it_shows_the_period_refusal_on_the_monitoring_form(client, staff):
    agreement = AgreementFactory(start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 12, 31))
    client.force_login(staff)
    page = client.post(
        reverse("evaluations:monitoring_create", args=[agreement.pk]),
        {"year": "2026", "quarter": "1", "activity_title": "x", "status": "terlaksana", "monitored_on": "2026-03-01"},
    )
    assert page.status_code == 200
    assert "di luar masa berlaku" in page.content.decode()
    assert agreement.monitoring_records.count() == 0


def test_it_prints_the_form_as_a_pdf(client, pimpinan):
    agreement = AgreementFactory(number="007/MOU.PL29/I/2025", title="Kerja sama magang")
    evaluation = EvaluationFactory(
        agreement=agreement,
        year=2025,
        benefit=True,
        performance=False,
        kepuasan=3,
        effectiveness=4,
        notes="Lanjutkan magang",
    )
    MonitoringRecordFactory(
        agreement=agreement, year=2025, quarter=2, activity_title="Magang semester genap", pic="Pak Budi"
    )
    client.force_login(pimpinan)
    response = client.get(reverse("evaluations:pdf", args=[evaluation.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in (
        "BO.28.1.2",
        "007/MOU.PL29/I/2025",
        "Kerja sama magang",
        "Magang semester genap",
        "Pak Budi",
        "2025 Q2",
        "Lanjutkan magang",
        "a. Manfaat ya",
        "b. Kinerja tidak",
    ):
        assert expected in text, expected


def test_it_exports_the_years_evaluations_as_xlsx_formula_safe(client, staff):
    agreement = AgreementFactory(number="001/MOU.PL29/I/2025")
    EvaluationFactory(
        agreement=agreement,
        year=2025,
        benefit=True,
        performance=None,
        kepuasan=4,
        keberlanjutan=False,
        notes='=HYPERLINK("x")',
        effectiveness=2,
        recommendation="revisi",
        reviewer=staff,
    )
    EvaluationFactory(year=2024, agreement=AgreementFactory(start_date=dt.date(2024, 1, 1)))
    client.force_login(staff)
    response = client.get(reverse("evaluations:export") + "?year=2025")
    sheet = load_workbook(io.BytesIO(response.content))["Evaluasi"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("dokumen_nomor", "tahun", "manfaat", "kinerja", "kepuasan", "keberlanjutan", "catatan")
    assert len(rows) == 2
    assert rows[1][:7] == ("001/MOU.PL29/I/2025", 2025, "ya", None, 4, "tidak", '=HYPERLINK("x")')
    assert rows[1][11:14] == (2, "revisi", staff.display_name)
    assert sheet.cell(row=2, column=7).data_type == "s"


def test_it_reminds_the_team_once_per_agreement_and_year(staff, kapokja, coordinator):
    due = ActivityFactory(status=ActivityStatus.TERLAKSANA, start_date=dt.date(2025, 3, 1)).agreement
    done = ActivityFactory(status=ActivityStatus.TERLAKSANA, start_date=dt.date(2025, 3, 1)).agreement
    EvaluationFactory(agreement=done, year=2025)
    now = dt.datetime(2026, 1, 5, 1, 0, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        plan_evaluation_reminders(now)
        plan_evaluation_reminders(now + dt.timedelta(minutes=1))
    notices = Notice.objects.filter(kind="evaluation_due")
    assert sorted(n.key for n in notices) == sorted(
        f"evaluation-due:2025:{due.pk}:{user.pk}" for user in (staff, kapokja)
    )
    assert {n.recipient for n in notices} == {staff, kapokja}


def test_it_shows_the_due_panel_on_the_teams_home_page(client, staff, coordinator):
    agreement = ActivityFactory(status=ActivityStatus.TERLAKSANA, start_date=dt.date(2025, 3, 1)).agreement
    with time_machine.travel(dt.datetime(2026, 1, 5, 1, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(staff)
        page = client.get(reverse("home")).content.decode()
        assert "evaluations-due-panel" in page
        assert agreement.number in page
        client.force_login(coordinator)
        assert "evaluations-due-panel" not in client.get(reverse("home")).content.decode()


def test_the_due_panel_follows_an_evaluation_and_an_activity_written_after_it_was_shown(client, staff):
    first = ActivityFactory(status=ActivityStatus.TERLAKSANA, start_date=dt.date(2025, 3, 1)).agreement
    with time_machine.travel(dt.datetime(2026, 1, 5, 1, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(staff)
        assert first.number in client.get(reverse("home")).content.decode()
        EvaluationFactory(agreement=first, year=2025)
        assert "evaluations-due-panel" not in client.get(reverse("home")).content.decode()
        second = ActivityFactory(status=ActivityStatus.TERLAKSANA, start_date=dt.date(2025, 6, 1)).agreement
        page = client.get(reverse("home")).content.decode()
        assert second.number in page and first.number not in page


def test_it_lets_pimpinan_read_but_not_write(client, pimpinan):
    evaluation = EvaluationFactory(notes="Dibaca saja")
    client.force_login(pimpinan)
    page = client.get(reverse("evaluations:detail", args=[evaluation.pk])).content.decode()
    assert "Dibaca saja" in page
    assert "edit-evaluation" not in page and "archive-evaluation" not in page
    assert client.get(reverse("evaluations:edit", args=[evaluation.pk])).status_code == 403
    assert client.get(reverse("evaluations:create", args=[evaluation.agreement_id])).status_code == 403
    assert client.post(reverse("evaluations:archive", args=[evaluation.pk])).status_code == 403
    evaluation.refresh_from_db()
    assert evaluation.archived_at is None


def test_it_shows_a_coordinator_only_their_units_evaluations(client, coordinator, jurusan_if):
    mine = EvaluationFactory(agreement=AgreementFactory(number="IF-1", units=[jurusan_if]))
    EvaluationFactory(agreement=AgreementFactory(number="LAIN-1"))
    client.force_login(coordinator)
    page = client.get(reverse("evaluations:index") + "?year=2025").content.decode()
    assert "IF-1" in page and "LAIN-1" not in page
    assert client.get(reverse("evaluations:edit", args=[mine.pk])).status_code == 200


@pytest.mark.parametrize("n", [1, 9])
def test_it_shows_what_the_survey_gives_on_the_evaluation_page_in_the_same_queries(
    client, staff, n, django_assert_num_queries
):
    evaluation = EvaluationFactory(kepuasan=None, keberlanjutan=None)
    for i in range(n):
        answered(evaluation.agreement, 2025, 4 if n > 1 and i < 5 else 3, True)
    client.force_login(staff)
    url = reverse("evaluations:detail", args=[evaluation.pk])
    client.get(url)
    with django_assert_num_queries(9):
        page = client.get(url).content.decode()
    mean = 3 if n == 1 else 4  # n=9: (5 * 4 + 4 * 3) / 9 = 3.56 → 4
    assert f"rata-rata kepuasan {mean} · dihitung untuk aspek kepuasan" in " ".join(page.split())


def test_it_sends_the_survey_from_its_page(client, staff):
    from simkerma.partners.tests.factories import ContactFactory, PartnerFactory

    partner = PartnerFactory()
    agreement = AgreementFactory(partners=[partner])
    contact = ContactFactory(partner=partner)
    ContactFactory()  # another partner's contact: not offered
    client.force_login(staff)
    url = reverse("evaluations:survey_send", args=[agreement.pk])
    form = client.get(url).content.decode()
    assert form.count('name="contacts"') == 1
    page = client.post(url, {"year": "2025", "contacts": [contact.pk]})
    assert page.status_code == 302
    assert list(agreement.survey_invitations.values_list("email", "year")) == [(contact.email, 2025)]
    assert Notice.objects.filter(kind="survey", email=contact.email).count() == 1


def test_it_exports_the_monitoring_log_with_the_offices_columns(client, staff, jurusan_if):
    from simkerma.partners.tests.factories import PartnerFactory

    agreement = AgreementFactory(
        number="002/MOA.PL29/I/2025",
        partners=[PartnerFactory(name="PT Satu")],
        units=[jurusan_if],
        scope="Magang\n+Rekrutmen",
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2027, 12, 31),
    )
    MonitoringRecordFactory(
        agreement=agreement,
        year=2025,
        quarter=3,
        activity_title="Magang",
        benefit="@SUM(A1)",
        evidence="Foto",
        pic="Bu Ani",
        monitored_on=dt.date(2025, 9, 30),
    )
    MonitoringRecordFactory(agreement=agreement, year=2026, quarter=1)
    client.force_login(staff)
    response = client.get(reverse("evaluations:export") + "?year=2025")
    sheet = load_workbook(io.BytesIO(response.content))["Monitoring"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "nomor",
        "mitra",
        "mulai",
        "berakhir",
        "unit",
        "ruang_lingkup",
        "tingkat",
        "periode",
        "judul_kegiatan",
        "manfaat",
        "bukti",
        "status",
        "pic",
        "tanggal_monitoring",
    )
    assert len(rows) == 2
    assert rows[1][:2] == ("002/MOA.PL29/I/2025", "PT Satu")
    assert rows[1][2].date() == dt.date(2025, 1, 1) and rows[1][3].date() == dt.date(2027, 12, 31)
    assert rows[1][4:13] == (
        "IF",
        "Magang; +Rekrutmen",
        "nasional",
        "2025 Q3",
        "Magang",
        "@SUM(A1)",
        "Foto",
        "terlaksana",
        "Bu Ani",
    )
    assert sheet.cell(row=2, column=10).data_type == "s"


def test_it_changes_a_monitoring_record_and_refuses_the_wrong_coordinator(client, staff, other_coordinator):
    record = MonitoringRecordFactory(year=2025, quarter=1, pic="Lama")
    client.force_login(other_coordinator)
    url = reverse("evaluations:monitoring_edit", args=[record.pk])
    assert client.get(url).status_code == 403
    client.force_login(staff)
    values = {
        "year": "2025",
        "quarter": "2",
        "activity_title": "Kuliah tamu",
        "status": "terlaksana",
        "monitored_on": "2025-06-30",
        "pic": "Baru",
    }
    assert client.post(url, values).status_code == 302
    record.refresh_from_db()
    assert (record.quarter, record.pic) == (2, "Baru")
    assert record.history.count() == 2
