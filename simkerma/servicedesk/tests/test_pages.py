"""Every page renders for the right people, refuses the rest, and costs the same at any size."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from simkerma.accounts.models import Role
from simkerma.accounts.tests.factories import UserFactory
from simkerma.servicedesk.models import Breach, CalendarVersion, ClockName, DraftVersion, RequestKind, Stage
from simkerma.servicedesk.selectors import home_panel
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.helpers import wib

pytestmark = pytest.mark.django_db
NOW = wib(2026, 11, 27, 10, 0)


@pytest.fixture
def world(db):
    """A cooperation request in negotiation with a draft and a breach, and an information request."""
    request = ServiceRequestFactory(
        kind=RequestKind.NEW_DRAFT, document_kind="mou", from_partner=True, received_at=wib(2026, 11, 26, 9, 0)
    )
    request.stage = Stage.NEGOSIASI_MITRA
    request.save()
    draft = DraftVersion(request=request, number=1, document_kind="mou", created_at=NOW)
    draft.file.save("v1.docx", ContentFile(b"PK"), save=True)
    breach = Breach.objects.create(
        request=request, clock=ClockName.RESPONSE, deadline=request.response_due_at, detected_at=NOW
    )
    version = CalendarVersion.objects.create(effective_from=NOW + dt.timedelta(days=30))
    return {"request": request, "breach": breach, "version": version, "info": ServiceRequestFactory()}


def internal_urls(world) -> list[str]:
    pk = world["request"].pk
    return [
        reverse("servicedesk:queue"),
        reverse("servicedesk:list"),
        reverse("servicedesk:create"),
        reverse("servicedesk:pick_partner") + "?partner__q=PT",
        reverse("servicedesk:calendar"),
        reverse("servicedesk:templates"),
        reverse("servicedesk:starter_download", args=["mou"]),
        reverse("servicedesk:report"),
        reverse("servicedesk:detail", args=[pk]),
        reverse("servicedesk:edit", args=[pk]),
        reverse("servicedesk:history", args=[pk]),
        reverse("servicedesk:sign", args=[pk]),
        reverse("servicedesk:draft_create", args=[pk]),
        reverse("servicedesk:draft_upload", args=[pk]),
        reverse("servicedesk:draft_download", args=[pk, 1]),
        reverse("servicedesk:draft_send", args=[pk, 1]),
        reverse("servicedesk:draft_delivery", args=[pk, 1]),
    ]


def post_only_urls(world) -> list[str]:
    pk = world["request"].pk
    return [
        reverse("servicedesk:respond", args=[pk]),
        reverse("servicedesk:follow_up", args=[pk]),
        reverse("servicedesk:stage", args=[pk]),
        reverse("servicedesk:assign", args=[pk]),
        reverse("servicedesk:breach_reason", args=[pk, world["breach"].pk]),
        reverse("servicedesk:calendar_delete", args=[world["version"].pk]),
    ]


@time_machine.travel(NOW, tick=False)
def test_staff_open_every_page(client_for, staff, world):
    client = client_for(staff)
    for url in internal_urls(world):
        assert client.get(url).status_code == 200, url


@time_machine.travel(NOW, tick=False)
def test_an_outsider_is_refused_everywhere(client_for, outsider, world):
    client = client_for(outsider)
    for url in [*internal_urls(world), *post_only_urls(world)]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url


def test_an_anonymous_visitor_is_sent_to_log_in_except_on_the_public_pages(client, world):
    for url in [*internal_urls(world), *post_only_urls(world)]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    for url in (
        reverse("servicedesk:public_form"),
        reverse("servicedesk:public_thanks"),
        world["request"].get_tracking_url(),
    ):
        assert client.get(url).status_code == 200, url


@time_machine.travel(NOW, tick=False)
def test_read_only_roles_read_but_change_nothing(client_for, pimpinan, auditor, world):
    request = world["request"]
    readable = [
        reverse("servicedesk:queue"),
        reverse("servicedesk:list"),
        reverse("servicedesk:report"),
        reverse("servicedesk:detail", args=[request.pk]),
        reverse("servicedesk:history", args=[request.pk]),
        reverse("servicedesk:calendar"),
        reverse("servicedesk:templates"),
        reverse("servicedesk:draft_download", args=[request.pk, 1]),
    ]
    writable = [
        reverse("servicedesk:create"),
        reverse("servicedesk:edit", args=[request.pk]),
        reverse("servicedesk:sign", args=[request.pk]),
        reverse("servicedesk:draft_create", args=[request.pk]),
        reverse("servicedesk:draft_send", args=[request.pk, 1]),
        *post_only_urls(world),
    ]
    for user in (pimpinan, auditor):
        client = client_for(user)
        for url in readable:
            assert client.get(url).status_code == 200, url
        for url in writable:
            assert client.post(url, {"to_stage": "ditolak", "note": "x"}).status_code == 403, url
        assert client.post(reverse("servicedesk:calendar"), {}).status_code == 403
    request.refresh_from_db()
    assert request.stage == Stage.NEGOSIASI_MITRA


@time_machine.travel(NOW, tick=False)
def test_coordinators_see_requests_but_do_not_handle_them(client_for, coordinator, world):
    client = client_for(coordinator)
    assert client.get(reverse("servicedesk:detail", args=[world["request"].pk])).status_code == 200
    assert client.get(reverse("servicedesk:create")).status_code == 200
    assert client.post(reverse("servicedesk:respond", args=[world["info"].pk]), {}).status_code == 403
    assert client.get(reverse("servicedesk:edit", args=[world["info"].pk])).status_code == 403


@time_machine.travel(NOW, tick=False)
def test_the_queue_puts_the_next_deadline_first_with_due_soon_and_breached_beside_it(client_for, staff):
    later = ServiceRequestFactory(received_at=wib(2026, 11, 27, 9, 58))  # due 10:13, 2 of 15 minutes used
    soon = ServiceRequestFactory(received_at=wib(2026, 11, 27, 9, 47))  # due 10:02, 13 minutes used
    breached = ServiceRequestFactory(received_at=wib(2026, 11, 27, 9, 0))  # due 09:15
    ServiceRequestFactory(received_at=wib(2026, 11, 27, 9, 0), responded_at=wib(2026, 11, 27, 9, 5))  # done
    page = client_for(staff).get(reverse("servicedesk:queue"))
    rows = page.context["rows"]
    assert [row.request for row in rows] == [breached, soon, later]
    assert [row.clock.state for row in rows] == ["overdue", "soon", "running"]
    assert rows[1].clock.left == dt.timedelta(minutes=2) and rows[2].clock.left == dt.timedelta(minutes=13)
    assert rows[0].clock.overdue_by == dt.timedelta(minutes=45)
    assert [row.request for row in page.context["soon_rows"]] == [soon]
    assert [row.request for row in page.context["overdue_rows"]] == [breached]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def _make_rows(count: int) -> None:
    for n in range(count):
        request = ServiceRequestFactory(
            kind=RequestKind.NEW_DRAFT,
            document_kind="mou",
            from_partner=True,
            received_at=wib(2026, 11, 27, 9, 0) - dt.timedelta(hours=n),
        )
        Breach.objects.create(
            request=request, clock=ClockName.RESPONSE, deadline=request.response_due_at, detected_at=NOW
        )


@pytest.mark.parametrize(
    ("url", "pinned"),
    [("servicedesk:queue", 12), ("servicedesk:list", 6), ("servicedesk:report", 8)],
)
@time_machine.travel(NOW, tick=False)
def test_list_pages_cost_the_same_whatever_the_number_of_rows(
    client_for, staff, django_assert_max_num_queries, url, pinned
):
    client = client_for(staff)
    _make_rows(3)
    few = _queries(client, reverse(url))
    _make_rows(30)
    many = _queries(client, reverse(url))
    assert few == many
    with django_assert_max_num_queries(pinned):
        client.get(reverse(url))


@time_machine.travel(NOW, tick=False)
def test_the_home_panel_shows_my_requests_due_soon_and_breached_in_flat_queries(staff, kapokja):
    mine = ServiceRequestFactory(received_at=wib(2026, 11, 27, 9, 0), assigned_to=staff)
    unassigned = ServiceRequestFactory(received_at=wib(2026, 11, 27, 9, 48))
    ServiceRequestFactory(received_at=wib(2026, 11, 27, 9, 0), assigned_to=kapokja)  # someone else's
    panel = home_panel(staff)
    assert [row.request for row in panel["overdue"]] == [mine] and panel["overdue_count"] == 1
    assert [row.request for row in panel["due_soon"]] == [unassigned] and panel["due_soon_count"] == 1
    with CaptureQueriesContext(connection) as few:
        home_panel(staff)
    for n in range(20):
        ServiceRequestFactory(received_at=wib(2026, 11, 27, 9, 0) - dt.timedelta(minutes=n), assigned_to=staff)
    with CaptureQueriesContext(connection) as after_a_write:  # the breached count is counted again
        home_panel(staff)
    with CaptureQueriesContext(connection) as many:
        panel = home_panel(staff)
    assert len(few.captured_queries) == len(many.captured_queries) == 3
    assert len(after_a_write.captured_queries) == 4
    assert panel["overdue_count"] == 21 and len(panel["overdue"]) == 10
    coordinator = UserFactory(username="k2", role=Role.KOORDINATOR)
    assert home_panel(coordinator)["overdue_count"] == 0  # coordinators see the requests they logged
    html = render_to_string("servicedesk/_home_panel.html", {"panel": panel})
    first = panel["overdue"][0].request
    assert first.code in html and f'data-request="{first.pk}"' in html


@time_machine.travel(NOW, tick=False)
def test_staff_take_a_request_and_find_it_with_the_filters(client_for, staff):
    request = ServiceRequestFactory(subject="Beasiswa mahasiswa", channel="surat")
    ServiceRequestFactory(subject="Lain", channel="email")
    client = client_for(staff)
    assert client.post(reverse("servicedesk:assign", args=[request.pk]), {"me": "1"}).status_code == 302
    request.refresh_from_db()
    assert request.assigned_to == staff
    found = client.get(reverse("servicedesk:list"), {"q": "beasiswa", "channel": "surat"})
    assert [r.pk for r in found.context["page_obj"]] == [request.pk]
    assert client.post(reverse("servicedesk:assign", args=[request.pk]), {"assigned_to": ""}).status_code == 302
    request.refresh_from_db()
    assert request.assigned_to is None
