"""Background jobs the worker runs between its notice runs (docs/architecture.md, "The worker").

`core` imports no domain app, so an app that records jobs (the workbook import, say) registers a
runner here from its `AppConfig.ready()`:

    register_job_runner("imports", run_next_import_job)

A runner takes the worker's name, claims at most one job (with a conditional update, so two
workers never run the same one), runs it, and returns whether it ran one. `simkerma_worker --loop`
polls every runner each `SIMKERMA_WORKER_JOB_POLL_SECONDS`, so a queued job starts within a couple
of seconds, while notices keep to the worker's interval.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from django.conf import settings

from simkerma.core.registry import Entry, Registry

logger = logging.getLogger(__name__)

JobRunner = Callable[[str], bool]

_runners: Registry[JobRunner] = Registry("job runner")


class Stop(Protocol):
    def is_set(self) -> bool: ...


def register_job_runner(name: str, runner: JobRunner, *, order: int = 100) -> None:
    _runners.register(name, runner, order=order)


def job_runners() -> list[JobRunner]:
    return _runners.items()


def poll_seconds() -> float:
    return float(getattr(settings, "SIMKERMA_WORKER_JOB_POLL_SECONDS", 2))


def run_jobs(worker: str, *, stop: Stop | None = None, limit: int = 100) -> int:
    """Ask each runner for jobs until none has one left (at most `limit` jobs); the number run.

    A runner that raises is logged and asked no more in this round; the others still run.
    """
    ran = 0
    active = list(_runners.entries())
    while active and ran < limit:
        still: list[Entry[JobRunner]] = []
        for entry in active:
            if stop is not None and stop.is_set():
                return ran
            try:
                did = entry.item(worker)
            except Exception:
                logger.exception("Job runner %s failed", entry.name)
                continue
            if did:
                ran += 1
                still.append(entry)
        active = [entry for entry in active if entry in still]
    return ran
