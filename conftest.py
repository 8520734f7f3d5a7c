"""The shared cast of the test suite: one person per role, and an outsider."""

from __future__ import annotations

import pytest

from simkerma.accounts.models import Role
from simkerma.accounts.tests.factories import UserFactory
from simkerma.org.tests.factories import ProdiFactory, UnitFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: data versions start again with each test's database,
    so a figure cached by an earlier test could otherwise be served under the same versions."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def jurusan_if(db):
    return UnitFactory(code="IF", name="Teknik Informatika")


@pytest.fixture
def jurusan_mb(db):
    return UnitFactory(code="MB", name="Manajemen dan Bisnis")


@pytest.fixture
def p3m_unit(db):
    return UnitFactory(code="P3M", name="Pusat Penelitian dan PkM", kind="p3m")


@pytest.fixture
def prodi_if(jurusan_if):
    return ProdiFactory(code="IF01", name="Teknik Informatika", level="D3", unit=jurusan_if)


@pytest.fixture
def prodi_mb(jurusan_mb):
    return ProdiFactory(code="MB01", name="Akuntansi", level="D3", unit=jurusan_mb)


@pytest.fixture
def staff(db):
    return UserFactory(username="staf", role=Role.STAF)


@pytest.fixture
def kapokja(db):
    return UserFactory(username="kapokja", role=Role.KAPOKJA)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", role=Role.ADMIN)


@pytest.fixture
def coordinator(jurusan_if, prodi_if):
    """Coordinator of prodi IF01, in jurusan IF."""
    return UserFactory(username="koord.if", role=Role.KOORDINATOR, unit=jurusan_if, prodi=prodi_if)


@pytest.fixture
def other_coordinator(jurusan_mb):
    """Coordinator of jurusan MB: the wrong unit for anything that names only IF."""
    return UserFactory(username="koord.mb", role=Role.KOORDINATOR, unit=jurusan_mb)


@pytest.fixture
def p3m_user(p3m_unit):
    return UserFactory(username="p3m", role=Role.P3M, unit=p3m_unit)


@pytest.fixture
def pimpinan(db):
    return UserFactory(username="direktur", role=Role.PIMPINAN)


@pytest.fixture
def auditor(db):
    return UserFactory(username="auditor", role=Role.AUDITOR)


@pytest.fixture
def outsider(db):
    """A logged-in account with no role in Simkerma."""
    return UserFactory(username="outsider", role="")


@pytest.fixture
def client_for(client):
    """Log the test client in as a given user: client_for(staff).get(...)."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def media(settings, tmp_path):
    """MEDIA_ROOT in a fresh folder of its own, so a test sees exactly the files it made."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
