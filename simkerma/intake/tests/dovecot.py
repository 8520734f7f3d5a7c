"""A throwaway Dovecot IMAP server on localhost for the mail intake tests.

It runs as the current user (root too) with its configuration, mail and sockets in a temporary
folder: plaintext login on 127.0.0.1 only, one passwd-file user, Maildir, no SSL.
"""

from __future__ import annotations

import contextlib
import getpass
import grp
import os
import pwd
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DOVECOT = "/usr/sbin/dovecot"
USER = "kerjasama"
PASSWORD = "rahasia-uji"


@dataclass(frozen=True)
class Dovecot:
    host: str
    port: int
    user: str
    password: str
    root: Path


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or (DOVECOT if os.path.exists(DOVECOT) else None)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _first_user(*names: str) -> str:
    for name in names:
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name).pw_name
    raise RuntimeError(f"none of the users {names} exists")


def _identities() -> tuple[str, str, str, int, int]:
    """The login user, the internal user and group, and the mail uid and gid."""
    if os.getuid() != 0:
        user = getpass.getuser()
        return user, user, grp.getgrgid(os.getgid()).gr_name, os.getuid(), os.getgid()
    # As root: dovecot's login, internal and mail processes refuse to run as root.
    login_user = _first_user("dovenull", "nobody")
    internal = pwd.getpwnam(_first_user("dovecot", "nobody"))
    return login_user, internal.pw_name, grp.getgrgid(internal.pw_gid).gr_name, internal.pw_uid, internal.pw_gid


def _config(root: Path, port: int) -> str:
    login_user, internal_user, group, mail_uid, mail_gid = _identities()
    return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 0
first_valid_gid = 0
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {group}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0600
  }}
  unix_listener stats-writer {{
    mode = 0600
  }}
}}
"""


def _wait_for(port: int, process: subprocess.Popen[bytes], root: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
            raise RuntimeError(f"dovecot stopped at start (exit {process.returncode}):\n{log}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            if conn.recv(100).startswith(b"* OK"):
                return
        time.sleep(0.05)
    raise RuntimeError("dovecot did not answer on its port within 15 seconds")


@contextlib.contextmanager
def dovecot_running(root: Path) -> Iterator[Dovecot]:
    binary = dovecot_binary()
    if binary is None:
        raise RuntimeError("dovecot is not installed (Debian: apt-get install dovecot-imapd)")
    # dovecot's auth process runs as its internal user: it must reach the passwd-file.
    root.chmod(0o755)
    for folder in ("run", "state", "mail"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    (root / "passwd").chmod(0o644)
    *_, mail_uid, mail_gid = _identities()
    if os.getuid() == 0:
        os.chown(root / "mail", mail_uid, mail_gid)
    port = free_port()
    conf = root / "dovecot.conf"
    conf.write_text(_config(root, port))
    process = subprocess.Popen([binary, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    try:
        _wait_for(port, process, root)
        yield Dovecot(host="127.0.0.1", port=port, user=USER, password=PASSWORD, root=root)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
