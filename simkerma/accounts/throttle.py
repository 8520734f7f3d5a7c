"""How often "Forgot password" may be asked, counted in the shared cache (settings.CACHES).

Login failures are counted by django-axes. A reset request fails no login, so it is counted here: per
client address (read through the trusted proxies, as for the login) and per e-mail address asked for,
each at most SIMKERMA_PASSWORD_RESET_LIMIT an hour. The per-address count is kept whether or not an
account has that address, so the limit tells nobody which addresses exist.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from simkerma.core.clientip import client_address

WINDOW_SECONDS = 3600


def _counted(scope: str, subject: str) -> int:
    slot = int(time.time() // WINDOW_SECONDS)
    digest = hashlib.sha256(subject.strip().lower().encode()).hexdigest()[:32]
    key = f"accounts:rate:{scope}:{digest}:{slot}"
    if cache.add(key, 1, timeout=WINDOW_SECONDS + 5):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS + 5)
        return 1


def reset_allowed_from(request: HttpRequest) -> bool:
    """Count one reset request from this client; False once it is past the limit."""
    limit = int(settings.SIMKERMA_PASSWORD_RESET_LIMIT)
    return limit <= 0 or _counted("reset-from", client_address(request)) <= limit


def reset_allowed_to(email: str) -> bool:
    """Count one reset mail asked for this address; False once it is past the limit."""
    limit = int(settings.SIMKERMA_PASSWORD_RESET_LIMIT)
    return limit <= 0 or _counted("reset-to", email) <= limit
