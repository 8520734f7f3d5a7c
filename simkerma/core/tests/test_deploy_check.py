"""Production settings with HTTPS=1 pass `check --deploy`, apart from the HSTS preload choice."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _production_env(**extra: str) -> dict[str, str]:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in their process; a deployment never has it.
    unset = ("DEBUG", "DJANGO_SETTINGS_MODULE", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "HTTPS": "1",
        "SECRET_KEY": "p" * 20 + "Zq9!x7Lm#4Rt$8Vw&2Yb" + "k" * 20,
        "ALLOWED_HOSTS": "simkerma.example.ac.id",
        **extra,
    }


def test_check_deploy_reports_only_the_preload_choice():
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    reported = sorted({word.strip("():") for word in output.split() if word.startswith("(security.")})
    assert reported == ["security.W021"], output


def test_redis_url_uses_the_installed_redis_client():
    script = (
        "import django; django.setup(); from django.conf import settings; from django.core.cache import caches; "
        "client = caches['default']._cache; print(settings.CACHES['default']['BACKEND'], type(client).__name__)"
    )
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_production_env(REDIS_URL="redis://127.0.0.1:6379/0"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["django.core.cache.backends.redis.RedisCache", "RedisCacheClient"]
