"""A real IMAP server for the mail intake tests: Debian's dovecot, one per test process."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from imap_tools import MailBoxUnencrypted

from simkerma.intake.tests.dovecot import Dovecot, dovecot_binary, dovecot_running

DONE_FOLDER = "Diproses"


@pytest.fixture(scope="session")
def dovecot_server():
    if dovecot_binary() is None:
        message = "dovecot is not installed (Debian: apt-get install dovecot-imapd); .ci/run installs it"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    # Not under pytest's own temp dir: that one is private to this user, and dovecot's auth
    # process runs as its own user when the tests run as root.
    root = Path(tempfile.mkdtemp(prefix="simkerma-dovecot-"))
    try:
        with dovecot_running(root) as server:
            yield server
    finally:
        shutil.rmtree(root, ignore_errors=True)


class TestMailbox:
    """The test's side of the mailbox: messages are appended over IMAP, as a mail server delivers them."""

    def __init__(self, server: Dovecot) -> None:
        self.server = server

    def connect(self) -> MailBoxUnencrypted:
        return MailBoxUnencrypted(self.server.host, port=self.server.port).login(self.server.user, self.server.password)

    def deliver(self, raw: bytes, *, at=None) -> None:
        with self.connect() as box:
            box.append(raw, "INBOX", dt=at, flag_set=())

    def flags(self, folder: str = "INBOX") -> list[tuple[str, ...]]:
        with self.connect() as box:
            box.folder.set(folder)
            return [message.flags for message in box.fetch(mark_seen=False, headers_only=True)]

    def unflag_all(self) -> None:
        with self.connect() as box:
            uids = box.uids()
            if uids:
                box.flag(uids, "\\Seen", False)

    def empty(self) -> None:
        with self.connect() as box:
            for folder in ("INBOX", DONE_FOLDER):
                if box.folder.exists(folder):
                    box.folder.set(folder)
                    if uids := box.uids():
                        box.delete(uids)


@pytest.fixture
def mailbox(dovecot_server, settings, db):
    settings.SIMKERMA_IMAP_HOST = dovecot_server.host
    settings.SIMKERMA_IMAP_PORT = dovecot_server.port
    settings.SIMKERMA_IMAP_SECURITY = "none"
    settings.SIMKERMA_IMAP_USER = dovecot_server.user
    settings.SIMKERMA_IMAP_PASSWORD = dovecot_server.password
    settings.SIMKERMA_IMAP_DONE_FOLDER = ""
    settings.DEFAULT_FROM_EMAIL = "Kerja Sama <kerjasama@polibatam.ac.id>"
    box = TestMailbox(dovecot_server)
    box.empty()
    yield box
    box.empty()
