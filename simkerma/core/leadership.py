"""Which worker leads: on PostgreSQL, the one that holds Simkerma's advisory lock.

A worker started with `--loop` works only while it holds the session-level advisory lock LOCK_KEY
on a connection of its own, opened beside Django's (which the loop closes and reopens between runs).
A second worker on another machine does not get the lock and stands by, asking again every
SIMKERMA_WORKER_STANDBY_SECONDS. PostgreSQL releases the lock when the holder's session ends: the
process exits or dies, or its connection is found dead, and the standby takes over at its next try.
Before each run the leader checks that its lock connection is alive (`SELECT 1`); once it is not,
the worker has no lock and stands by until it gets it again.

The lock needs a direct connection to PostgreSQL: a session lock does not survive a pooler in
transaction mode. SQLite has no advisory locks and a deployment on it is one machine: there every
worker leads. The claims and leases on notices, jobs and the mailbox stay as they are
(docs/deployment.md, "Past one machine").
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import connections

logger = logging.getLogger(__name__)

# One constant for Simkerma. Advisory locks belong to one database, so deployments in separate
# databases on one cluster never share it.
LOCK_KEY = 7_305_861_372_114_409_001


class Leadership:
    """The worker lock of one database alias. `acquire()` tries to take it, `held()` says whether it
    is still held, `release()` gives it up by closing the lock connection."""

    def __init__(self, alias: str = "default") -> None:
        self.alias = alias
        self.connection: Any = None

    @property
    def exclusive(self) -> bool:
        """Whether the database has the lock at all (PostgreSQL); without it every worker leads."""
        return bool(connections[self.alias].vendor == "postgresql")

    @property
    def errors(self) -> type[Exception]:
        """The database driver's base error (psycopg.Error on PostgreSQL)."""
        wrapper: Any = connections[self.alias]
        return wrapper.Database.Error  # type: ignore[no-any-return]

    def acquire(self) -> bool:
        """Take the lock if no other session holds it. True when this worker leads; False when
        another one does, or the database cannot be reached (logged; the next try may succeed)."""
        if not self.exclusive:
            return True
        if self.connection is not None:
            return self.held()
        wrapper = connections[self.alias]
        try:
            connection = wrapper.get_new_connection(wrapper.get_connection_params())
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
                got = bool(cursor.fetchone()[0])
        except self.errors:
            logger.warning("The worker could not ask for its lock; it tries again.", exc_info=True)
            return False
        if got:
            self.connection = connection
        else:
            connection.close()
        return got

    def held(self) -> bool:
        """Whether this worker still holds the lock: its lock connection answers. A connection that
        does not is closed, and the lock counts as lost."""
        if not self.exclusive:
            return True
        if self.connection is None:
            return False
        try:
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except self.errors:
            logger.warning("The worker lost its lock connection; it stops working until it has the lock again.")
            self.release()
            return False
        return True

    def release(self) -> None:
        """Give the lock up (closing its connection ends the session, and the session's locks)."""
        connection, self.connection = self.connection, None
        if connection is not None:
            try:
                connection.close()
            except self.errors:
                logger.debug("The lock connection was gone already.", exc_info=True)
