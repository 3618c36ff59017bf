"""A throwaway Dovecot IMAP server on 127.0.0.1 for tests and benchmarks.

Its own config, base_dir and maildirs under one directory, users in a passwd-file, no systemd,
no system paths written. Run as root, mail belongs to the `dovecot` system user, which Debian's
package creates.
"""

from __future__ import annotations

import getpass
import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from imapclient import IMAPClient

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
PASSWORD = "secret-for-tests"
USERS_PER_SERVER = 100


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, *, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


class DovecotServer:
    """One Dovecot instance; `stop()` and `start()` again keep its mail and its port."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.tls_port = free_port()
        self.certificate = root / "cert.pem"
        self.process: subprocess.Popen[bytes] | None = None
        if os.geteuid() == 0:
            self.system_user = "dovecot"
        else:
            self.system_user = getpass.getuser()
        entry = pwd.getpwnam(self.system_user)
        self.uid, self.gid = entry.pw_uid, entry.pw_gid
        self.group = grp.getgrgid(self.gid).gr_name
        for sub in ("base", "mail", "log"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        os.chown(root / "mail", self.uid, self.gid)
        self.users_file = root / "users"
        self.users_file.write_text("")
        self.users_file.chmod(0o644)
        self.free_users: list[str] = []
        self._make_certificate()
        self.config = root / "dovecot.conf"
        self.config.write_text(self._config_text())

    def _make_certificate(self) -> None:
        """A self-signed certificate for 127.0.0.1: clients trust it through SSL_CERT_FILE."""
        key = self.root / "key.pem"
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                str(key),
                "-out",
                str(self.certificate),
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
            ],
            check=True,
            capture_output=True,
        )
        key.chmod(0o644)

    def _config_text(self) -> str:
        root = self.root
        return f"""
base_dir = {root}/base
state_dir = {root}/base/state
instance_name = ordino-test-{self.port}
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{self.certificate}
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = {root}/log/dovecot.log
default_internal_user = {self.system_user}
default_internal_group = {self.group}
default_login_user = {self.system_user}
first_valid_uid = {min(self.uid, 500)}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.users_file}
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {self.users_file}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
protocol imap {{
  mail_max_userip_connections = 50
}}
"""

    def add_users(self, names: list[str]) -> None:
        """Add users before `start()`: Dovecot notices a changed passwd-file by its mtime, in
        whole seconds, so users written while it runs may stay unknown for a while."""
        with self.users_file.open("a") as users:
            for name in names:
                users.write(
                    f"{name}:{{PLAIN}}{PASSWORD}:{self.uid}:{self.gid}::{self.root}/mail/{name}::\n"
                )
        self.free_users.extend(names)

    def take_user(self) -> str:
        return self.free_users.pop(0)

    def start(self) -> None:
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", str(self.config)])
        wait_for_port(self.port)
        wait_for_port(self.tls_port)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    time.sleep(0.05)
            except OSError:
                return

    def client(self, user: str) -> IMAPClient:
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=10)
        client.login(user, PASSWORD)
        return client

    def append(self, user: str, messages: list[bytes], folder: str = "INBOX") -> None:
        client = self.client(user)
        try:
            for start in range(0, len(messages), 100):  # MULTIAPPEND, 100 at a time
                client.multiappend(folder, messages[start : start + 100])
        finally:
            client.logout()

    def count(self, user: str, folder: str) -> int:
        client = self.client(user)
        try:
            if not client.folder_exists(folder):
                return 0
            return int(client.folder_status(folder, ["MESSAGES"])[b"MESSAGES"])
        finally:
            client.logout()


@contextmanager
def dovecot_instance() -> Iterator[DovecotServer]:
    """A server in a directory of its own that Dovecot's unprivileged processes can enter
    (pytest's tmp dirs are private to the user running the tests)."""
    root = Path(tempfile.mkdtemp(prefix="ordino-dovecot-"))
    root.chmod(0o755)
    server = DovecotServer(root)
    server.add_users([f"user{n:03d}" for n in range(USERS_PER_SERVER)])
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
