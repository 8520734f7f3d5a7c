"""The load run's users (Locust), started by bench/load.py; not a module of the product.

Each simulated user arrives with the session of an account that logged in earlier (sessions last
two weeks, so most requests in an office come from users already logged in), waits 1 s after each
response and picks the next request from the office's mix: the cooperation staff's lists, details
and searches, the coordinators' home page and tasks, the leadership's KPI dashboard, the public
page and the API. One user instead logs in through the real form every 10 s, hashing the password
with Django's default hasher, so the cost of logins under load is measured too.

The file named by BENCH_LOAD_FILE (JSON, written by bench/load.py) gives the session cookies by
role, one login account and its password, an API token, and ids to visit.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from typing import Any

from locust import HttpUser, constant, task
from locust.clients import HttpSession

PLAN: dict[str, Any] = json.loads(open(os.environ["BENCH_LOAD_FILE"]).read())  # noqa: SIM115
_SESSIONS = {role: itertools.cycle(cookies) for role, cookies in PLAN["sessions"].items()}
_ROLES = itertools.cycle(["staf", "staf", "staf", "koordinator", "pimpinan"])
# Each user's own address, as the reverse proxy forwards it (bench/load.py trusts one proxy).
_ADDRESSES = (f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in itertools.count(1))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOGIN_EVERY = 10


class OfficeUser(HttpUser):
    wait_time = constant(1)

    def on_start(self) -> None:
        self.role = next(_ROLES)
        self.client.cookies.set("sessionid", next(_SESSIONS[self.role]))
        self.address = next(_ADDRESSES)
        self.client.headers["X-Forwarded-For"] = self.address
        self.rng = random.Random(id(self))

    def _get(self, url: str, name: str) -> None:
        self.client.get(url, name=name)

    def _pick(self, kind: str) -> int:
        return self.rng.choice(PLAN["ids"][kind])

    @task(10)
    def home(self) -> None:
        self._get("/", "home")

    @task(6)
    def agreements(self) -> None:
        if self.role == "staf":
            self._get("/dokumen/", "agreement list")
        else:
            self._get("/kegiatan/?unit=" + str(PLAN["unit"]), "activity list, by unit")

    @task(6)
    def agreement_detail(self) -> None:
        self._get(f"/dokumen/{self._pick('agreement')}/", "agreement detail")

    @task(4)
    def activities(self) -> None:
        self._get("/kegiatan/", "activity list")

    @task(4)
    def activity_detail(self) -> None:
        self._get(f"/kegiatan/{self._pick('activity')}/", "activity detail")

    @task(3)
    def partner_search(self) -> None:
        self._get(f"/mitra/?q=Mitra+{self.rng.randrange(PLAN['partners'])}", "partner search")

    @task(3)
    def partner_detail(self) -> None:
        self._get(f"/mitra/{self._pick('partner')}/", "partner detail")

    @task(4)
    def desk(self) -> None:
        if self.role == "staf":
            self._get("/layanan/", "service desk queue")
        else:
            self._get("/layanan/semua/", "service desk list")

    @task(3)
    def request_detail(self) -> None:
        if self.role == "staf":
            self._get(f"/layanan/{self._pick('request')}/", "service request detail")
        else:
            self._get("/kegiatan/tugas/", "my tasks")

    @task(3)
    def dashboard(self) -> None:
        self._get("/kpi/", "KPI dashboard")

    @task(2)
    def public(self) -> None:
        self._get("/publik/", "public page")

    @task(2)
    def api(self) -> None:
        self.client.get(
            "/api/v1/agreements", name="API: agreements", headers={"Authorization": f"Bearer {PLAN['token']}"}
        )


class ArrivingUser(HttpUser):
    """Someone logging in through the form, once every LOGIN_EVERY seconds: one of the users, beside
    the others' browsing. An office's staff log in about once a day (sessions last two weeks), so
    six logins a minute among a hundred users working is many; each hashes the password with
    Django's default hasher, and its time under load is measured."""

    fixed_count = 1
    wait_time = constant(LOGIN_EVERY)

    def on_start(self) -> None:
        self.address = next(_ADDRESSES)

    @task
    def login(self) -> None:
        """A login through the form, in a client of its own (this user's session is kept)."""
        browser = HttpSession(self.host, self.environment.events.request, self)
        browser.headers["X-Forwarded-For"] = self.address
        with browser.get("/akun/masuk/", name="login form", catch_response=True) as form:
            found = CSRF.search(form.text)
            if not found:
                form.failure("no CSRF token on the login form")
                return
        with browser.post(
            "/akun/masuk/",
            data={
                "username": PLAN["login"]["username"],
                "password": PLAN["login"]["password"],
                "csrfmiddlewaretoken": found.group(1),
            },
            headers={"Referer": self.host + "/akun/masuk/"},
            name="login (password hashed)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login refused: {response.status_code}")
