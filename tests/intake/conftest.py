"""Real servers for intake tests (Dovecot IMAP, aiosmtpd SMTP) on 127.0.0.1, and a database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import models.all_tables
import models.intake_tables  # noqa: F401
from models.blobs import BlobStore
from models.db import make_engine, session_scope
from models.intake_tables import ConnectionSecurity, Mailbox
from tests.intake.dovecot import DOVECOT, PASSWORD, DovecotServer, dovecot_instance, free_port

PASSWORD_ENV = "ORDINO_TEST_IMAP_PASSWORD"


def _require_dovecot() -> None:
    if not Path(DOVECOT).exists():
        pytest.skip(
            "Dovecot is not installed: `apt-get install -y dovecot-imapd` (the bootstrap does)"
        )


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    """One Dovecot for the session; each test gets its own user (see `imap_user`)."""
    _require_dovecot()
    with dovecot_instance() as server:
        yield server


@pytest.fixture
def private_dovecot() -> Iterator[DovecotServer]:
    """A Dovecot of the test's own, for tests that stop the server."""
    _require_dovecot()
    with dovecot_instance() as server:
        yield server


@pytest.fixture
def imap_user(dovecot: DovecotServer) -> str:
    """A user of the session's Dovecot that no other test uses."""
    return dovecot.take_user()


@pytest.fixture(autouse=True)
def _imap_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'ordino.db'}")
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def blob_store(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "blobs")


MailboxFactory = Callable[..., Mailbox]


@pytest.fixture
def make_mailbox(engine: Engine) -> MailboxFactory:
    def make(server: DovecotServer, user: str, **overrides: object) -> Mailbox:
        settings: dict[str, object] = {
            "name": user,
            "host": "127.0.0.1",
            "port": server.port,
            "security": ConnectionSecurity.NONE,
            "username": user,
            "password_env": PASSWORD_ENV,
            "poll_interval_seconds": 1,
        }
        settings.update(overrides)
        with session_scope(engine) as session:
            mailbox = Mailbox(**settings)  # type: ignore[arg-type]
            session.add(mailbox)
            session.flush()
            session.expunge(mailbox)
        return mailbox

    return make


@dataclass
class Recorder:
    """Rings of the queue bell, in order."""

    rings: list[tuple[int, str]] = field(default_factory=list)

    def __call__(self, document_id: int, stage: str) -> None:
        self.rings.append((document_id, stage))


@pytest.fixture
def enqueue() -> Recorder:
    return Recorder()


@dataclass
class SmtpSink:
    host: str
    port: int
    messages: list[Envelope] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[SmtpSink]:
    sink = SmtpSink(host="127.0.0.1", port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    yield sink
    controller.stop()
