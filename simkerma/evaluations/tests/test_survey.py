import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.signing import dumps
from django.urls import reverse
from django.utils import timezone

from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.core.models import Notice
from simkerma.evaluations.data import SurveyAnswerData
from simkerma.evaluations.links import SALT, LinkProblem, invitation_for
from simkerma.evaluations.models import SurveyInvitation
from simkerma.evaluations.planner import plan_survey_reminders
from simkerma.evaluations.services import survey_answer, survey_send
from simkerma.partners.tests.factories import ContactFactory, PartnerFactory

pytestmark = pytest.mark.django_db
ANSWER = SurveyAnswerData(satisfaction=4, communication=3, usefulness=4, intends_to_continue=True, comments="Bagus")
NOW = dt.datetime(2026, 1, 15, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _token(notice: Notice) -> str:
    return re.search(r"/evaluasi/survei/([^/\s]+)/", notice.body).group(1)


@pytest.fixture
def sent(staff):
    partner = PartnerFactory()
    agreement = AgreementFactory(partners=[partner])
    contacts = [
        ContactFactory(partner=partner),
        ContactFactory(partner=partner),
        ContactFactory(partner=partner, email=""),
    ]
    with time_machine.travel(NOW, tick=False):
        invitations = survey_send(agreement=agreement, year=2025, contacts=contacts, user=staff)
    return agreement, invitations


def test_it_sends_one_invitation_per_contact_with_an_address(sent, staff):
    agreement, invitations = sent
    assert len(invitations) == 2
    notices = list(Notice.objects.filter(kind="survey").order_by("pk"))
    assert [n.email for n in notices] == [i.email for i in invitations]
    assert all(n.due_at == NOW for n in notices)
    # Sending again invites nobody twice.
    contacts = [i.contact for i in invitations]
    assert survey_send(agreement=agreement, year=2025, contacts=contacts, user=staff) == []
    fresh = ContactFactory(partner=contacts[0].partner)
    assert len(survey_send(agreement=agreement, year=2025, contacts=[fresh, fresh], user=staff)) == 1
    assert SurveyInvitation.objects.count() == 3


def test_it_stores_only_a_hash_of_the_links_nonce(sent):
    _, invitations = sent
    token = _token(Notice.objects.filter(kind="survey").first())
    assert invitations[0].nonce_hash and invitations[0].nonce_hash not in token


def test_it_refuses_contacts_of_another_partner_and_people_outside_the_team(staff, coordinator):
    agreement = AgreementFactory()
    stranger = ContactFactory()
    with pytest.raises(ValidationError) as refused:
        survey_send(agreement=agreement, year=2025, contacts=[stranger], user=staff)
    assert "contacts" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        survey_send(agreement=agreement, year=2025, contacts=[], user=coordinator)
    assert SurveyInvitation.objects.count() == 0


def test_it_records_an_answer_once(sent):
    token = _token(Notice.objects.filter(kind="survey").first())
    invitation = survey_answer(token=token, data=ANSWER)
    invitation.refresh_from_db()
    assert (invitation.satisfaction, invitation.intends_to_continue, invitation.comments) == (4, True, "Bagus")
    assert invitation.nonce_hash == ""
    with pytest.raises(LinkProblem) as refused:
        survey_answer(
            token=token, data=SurveyAnswerData(satisfaction=1, communication=1, usefulness=1, intends_to_continue=False)
        )
    assert (refused.value.kind, refused.value.status) == ("used", 410)
    invitation.refresh_from_db()
    assert invitation.satisfaction == 4


def test_it_refuses_an_altered_link(sent):
    token = _token(Notice.objects.filter(kind="survey").first())
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(LinkProblem) as refused:
        invitation_for(altered)
    assert (refused.value.kind, refused.value.status) == ("altered", 400)


def test_it_refuses_a_signed_link_with_the_wrong_nonce(sent):
    _, invitations = sent
    forged = dumps({"i": invitations[0].pk, "n": "guess"}, salt=SALT, compress=False)
    with pytest.raises(LinkProblem) as refused:
        invitation_for(forged)
    assert refused.value.status == 410


def test_it_refuses_an_expired_link(sent):
    token = _token(Notice.objects.filter(kind="survey").first())
    with time_machine.travel(NOW + dt.timedelta(days=30), tick=False), pytest.raises(LinkProblem) as refused:
        survey_answer(token=token, data=ANSWER)
    assert (refused.value.kind, refused.value.status) == ("expired", 410)
    assert SurveyInvitation.objects.answered().count() == 0


def test_it_refuses_a_link_to_an_invitation_that_is_gone(sent):
    _, _invitations = sent
    with pytest.raises(LinkProblem) as refused:
        invitation_for(dumps({"i": 999999, "n": "x"}, salt=SALT, compress=False))
    assert refused.value.status == 404


def test_it_refuses_an_incomplete_answer_and_records_nothing(sent):
    token = _token(Notice.objects.filter(kind="survey").first())
    with pytest.raises(ValidationError) as refused:
        survey_answer(
            token=token, data=SurveyAnswerData(satisfaction=5, communication=3, usefulness=3, intends_to_continue=True)
        )
    assert "satisfaction" in refused.value.message_dict
    assert SurveyInvitation.objects.answered().count() == 0
    invitation_for(token)  # still usable


def test_it_reminds_an_unanswered_survey_once_with_a_fresh_link(sent):
    _agreement, invitations = sent
    first_tokens = [_token(n) for n in Notice.objects.filter(kind="survey").order_by("pk")]
    survey_answer(token=first_tokens[1], data=ANSWER)
    plan_survey_reminders(NOW + dt.timedelta(days=6))
    assert Notice.objects.filter(key__endswith=":reminder").count() == 0
    later = NOW + dt.timedelta(days=8)
    with time_machine.travel(later, tick=False):
        plan_survey_reminders(later)
        plan_survey_reminders(later + dt.timedelta(hours=1))
        reminders = list(Notice.objects.filter(key__endswith=":reminder"))
        assert [n.email for n in reminders] == [invitations[0].email]
        with pytest.raises(LinkProblem) as refused:
            invitation_for(first_tokens[0])
        assert refused.value.kind == "replaced"
        survey_answer(token=_token(reminders[0]), data=ANSWER)
    assert SurveyInvitation.objects.answered().count() == 2


def test_it_shows_clear_pages_for_each_bad_link(client, sent):
    token = _token(Notice.objects.filter(kind="survey").first())
    url = reverse("evaluations:survey_answer", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert b"survey-form" in page.content
    posted = client.post(
        url, {"satisfaction": "3", "communication": "4", "usefulness": "2", "intends_to_continue": "false"}
    )
    assert posted.status_code == 200
    assert b"survey-thanks" in posted.content
    invitation = SurveyInvitation.objects.answered().get()
    assert (invitation.satisfaction, invitation.communication, invitation.usefulness) == (3, 4, 2)
    assert invitation.intends_to_continue is False
    again = client.post(
        url, {"satisfaction": "1", "communication": "1", "usefulness": "1", "intends_to_continue": "true"}
    )
    assert again.status_code == 410
    assert "sudah dijawab" in again.content.decode()
    altered = client.get(reverse("evaluations:survey_answer", args=[token + "x"]))
    assert altered.status_code == 400
    assert SurveyInvitation.objects.answered().count() == 1
    invitation.refresh_from_db()
    assert invitation.satisfaction == 3


def test_it_shows_the_expired_page(client, sent):
    token = _token(Notice.objects.filter(kind="survey").order_by("pk").last())
    with time_machine.travel(timezone.now() + dt.timedelta(days=40), tick=False):
        page = client.get(reverse("evaluations:survey_answer", args=[token]))
    assert page.status_code == 410
    assert "kedaluwarsa" in page.content.decode()


def test_it_slows_a_flood_of_requests_to_the_survey_page(client, sent, settings):
    from django.core.cache import cache

    cache.clear()
    settings.SIMKERMA_PUBLIC_VIEW_LIMIT = 2
    token = _token(Notice.objects.filter(kind="survey").first())
    url = reverse("evaluations:survey_answer", args=[token])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    cache.clear()


def test_it_lets_the_team_enter_an_answer_given_on_paper_once(sent, staff, coordinator):
    from simkerma.evaluations.services import survey_record_answer

    _, invitations = sent
    token = _token(Notice.objects.filter(kind="survey").order_by("pk").first())
    with pytest.raises(PermissionDenied):
        survey_record_answer(invitation=invitations[0], data=ANSWER, user=coordinator)
    survey_record_answer(invitation=invitations[0], data=ANSWER, user=staff)
    invitations[0].refresh_from_db()
    assert (invitations[0].satisfaction, invitations[0].comments) == (4, "Bagus")
    with pytest.raises(ValidationError):
        survey_record_answer(invitation=invitations[0], data=ANSWER, user=staff)
    with pytest.raises(LinkProblem) as refused:
        invitation_for(token)
    assert refused.value.kind == "used"
