from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class TokenData:
    """A new API token as the profile page (or a command) gives it."""

    name: str
    read_only: bool = True
    expires_at: dt.datetime | None = None
