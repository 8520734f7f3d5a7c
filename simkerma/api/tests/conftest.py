from __future__ import annotations

import pytest
from django.test import Client

from simkerma.api.data import TokenData
from simkerma.api.services import token_create


@pytest.fixture
def bearer(db):
    """bearer(user, read_only=True) -> a test client whose every request carries a fresh token of `user`."""

    def make(user, *, read_only: bool = True, **data) -> Client:
        issued = token_create(user=user, data=TokenData(name="Sistem uji", read_only=read_only, **data))
        return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")

    return make
