"""Every URL, asked by every role, an account without a role and nobody logged in, by GET and POST.

The expected outcomes are in access_matrix.py; a URL with no entry there fails here.
"""

from __future__ import annotations

import json
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse

from simkerma.accounts.models import Role
from simkerma.api.models import ApiToken, new_secret, secret_hash
from simkerma.site.tests.access_matrix import MATRIX, Entry, Outcome, patterns
from simkerma.site.tests.access_world import ANONYMOUS, NO_ROLE, SUBJECTS, World, build_world

pytestmark = pytest.mark.django_db

# Whoever these are, their POST never changes a row, even where the URL takes it.
NEVER_WRITE = frozenset({ANONYMOUS, NO_ROLE, str(Role.PIMPINAN), str(Role.AUDITOR)})
# Tables a session or a login may write to without changing anything the product keeps.
BOOKKEEPING_TABLES = frozenset({"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"})


def classify(response: HttpResponseBase) -> Outcome | int:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = response.headers.get("Location", "")
        return Outcome.LOGIN if location.startswith(reverse(settings.LOGIN_URL)) else Outcome.OK
    if status == 401:
        return Outcome.LOGIN
    known = {403: Outcome.FORBIDDEN, 404: Outcome.NOT_FOUND, 405: Outcome.NO_METHOD, 429: Outcome.TOO_MANY}
    if status in known:
        return known[status]
    if 200 <= status < 300 or status in (400, 409, 422):
        return Outcome.OK
    return status


def row_counts() -> tuple[int, ...]:
    """The number of rows in every table the product keeps, in one query."""
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and model._meta.db_table not in BOOKKEEPING_TABLES
    )
    quote = connection.ops.quote_name
    # Table names come from the model registry, quoted by the database's own rule.
    counts = [f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables]  # noqa: S608
    sql = "SELECT " + ", ".join(counts)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


class Asker:
    """One logged-in client per subject; API URLs are asked with that subject's bearer token."""

    def __init__(self, world: World) -> None:
        self.clients: dict[str, Client] = {}
        self.tokens: dict[str, str] = {}
        for number, subject in enumerate(SUBJECTS, start=1):
            # Each subject from an address of its own, as different people are: the rate limits of
            # the public pages count per address.
            client = Client(REMOTE_ADDR=f"192.0.2.{number}")
            if subject != ANONYMOUS:
                user = world.users[subject]
                client.force_login(user)
                secret = new_secret()
                ApiToken.objects.create(
                    user=user, name="matrix", prefix=secret[:8], key_hash=secret_hash(secret), read_only=False
                )
                self.tokens[subject] = secret
            self.clients[subject] = client
        # A logout or a password change gives the client a new session cookie; each request starts
        # from the logged-in one (the session row itself comes back with the rollback).
        self.cookies = {subject: client.cookies.output(header="") for subject, client in self.clients.items()}

    def ask(self, subject: str, method: str, url: str, data: dict | None = None) -> tuple[Outcome | int, bool]:
        """The outcome, and whether any kept row changed; every request's writes are rolled back."""
        with transaction.atomic():
            before = row_counts() if method == "post" else ()
            response = self._send(subject, method, url, data)
            changed = method == "post" and row_counts() != before
            transaction.set_rollback(True)
        return classify(response), changed

    def response(self, subject: str, method: str, url: str) -> HttpResponseBase:
        with transaction.atomic():
            response = self._send(subject, method, url, None)
            transaction.set_rollback(True)
        return response

    def _send(self, subject: str, method: str, url: str, data: dict | None) -> HttpResponseBase:
        api = url.startswith("/api/")
        headers = {"Authorization": f"Bearer {self.tokens[subject]}"} if api and subject in self.tokens else {}
        body = {"data": json.dumps(data), "content_type": "application/json"} if api and data else {"data": data}
        client = self.clients[subject]
        client.cookies = SimpleCookie(self.cookies[subject])
        return getattr(client, method)(url, headers=headers, **(body if method == "post" else {}))


def url_of(name: str, entry: Entry, world: World) -> str:
    url = entry.path or reverse(name, kwargs=entry.kwargs(world))
    query = entry.query(world)
    return f"{url}?{urlencode(query)}" if query else url


def mismatches(name: str, entry: Entry, world: World, asker: Asker) -> list[str]:
    url = url_of(name, entry, world)
    found = []
    for method, row in (("get", entry.get), ("post", entry.post)):
        for subject in SUBJECTS:
            outcome, changed = asker.ask(subject, method, url, entry.data(world) if entry.data else None)
            if outcome != row[subject]:
                found.append(f"{method.upper()} {url} as {subject}: expected {row[subject]}, got {outcome}")
            if changed and (row[subject] != Outcome.OK or subject in NEVER_WRITE):
                found.append(f"{method.upper()} {url} as {subject}: rows changed")
    return found


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the whole module, inside a transaction that is rolled back at its end; each
    test runs in a savepoint of its own, and each request in another."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            yield built, Asker(built)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_it_has_an_entry_for_every_url_and_none_for_a_url_that_is_gone():
    listed = [name for name, _route in patterns()]
    names = set(listed)
    # Two patterns under one name could not both be reversed, so the matrix would ask only one.
    assert sorted(name for name in names if listed.count(name) > 1) == [], "URL names used twice"
    assert sorted(names - set(MATRIX)) == [], "URLs with no entry in simkerma/site/tests/access_matrix.py"
    assert sorted(set(MATRIX) - names) == [], "entries in access_matrix.py for URLs that no longer exist"


def _params():
    for name, entry in MATRIX.items():
        marks = [pytest.mark.xfail(strict=True, reason=entry.known_bug)] if entry.known_bug else []
        yield pytest.param(name, entry, id=name, marks=marks)


@pytest.mark.parametrize(("name", "entry"), list(_params()))
def test_it_answers_every_subject_as_the_matrix_says(name, entry, world):
    built, asker = world
    assert mismatches(name, entry, built, asker) == []


def test_it_lets_only_the_administrator_into_the_django_admin(world):
    """The Django admin is left out of the matrix: only the administrator (a staff superuser) enters it."""
    _built, asker = world
    admin_login = reverse("admin:login")
    for url in (reverse("admin:index"), reverse("admin:partners_partner_changelist")):
        for method in ("get", "post"):
            answers = {subject: asker.response(subject, method, url) for subject in SUBJECTS}
            entered = {subject for subject, response in answers.items() if response.status_code == 200}
            assert entered == {str(Role.ADMIN)}, (method, url)
            for subject, response in answers.items():
                if subject != str(Role.ADMIN):
                    assert response.status_code == 302, (method, url, subject)
                    assert response["Location"].startswith(admin_login), (method, url, subject)
