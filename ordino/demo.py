"""`ordino demo`: a working Ordino to look at — master data, a user, an API key, a few orders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rich.progress import Progress
from sqlmodel import select

from intake.accept import accept_inbound
from intake.inbound import InboundDocument
from models.auth import AuthenticationError, authenticate_api_key, create_api_key, create_user
from models.db import session_scope
from models.masterdata_io import MASTER_FILES, import_master_csv
from models.tables import User, UserRole
from training.synth import generate_corpus, load_truth, write_master_data

if TYPE_CHECKING:
    from ordino.runtime import Runtime

DEMO_USER = "demo"
DEMO_PASSWORD = "ordino-demo"
DEMO_SEED = 2026


@dataclass(frozen=True)
class DemoInfo:
    username: str
    password: str
    api_key: str


def _demo_api_key(runtime: Runtime) -> str:
    """The demo key kept in the data dir, created on first use."""
    key_file = runtime.settings.data_dir / "demo-api-key.txt"
    with session_scope(runtime.engine) as session:
        if key_file.exists():
            try:
                authenticate_api_key(session, key_file.read_text().strip())
                return key_file.read_text().strip()
            except AuthenticationError:
                pass
        created = create_api_key(session, name="demo", scopes=["read", "write", "admin"])
    key_file.write_text(created.plaintext + "\n")
    key_file.chmod(0o600)
    return created.plaintext


def load_demo(runtime: Runtime, *, orders: int, progress: Progress) -> DemoInfo:
    demo_dir = runtime.settings.data_dir / "demo"
    master = progress.add_task("master data", total=3)
    paths = dict(zip(MASTER_FILES, write_master_data(demo_dir, seed=DEMO_SEED), strict=True))
    for kind, path in paths.items():
        with session_scope(runtime.engine) as session:
            import_master_csv(session, kind=kind, text=path.read_text(encoding="utf-8"))
        progress.advance(master)

    with session_scope(runtime.engine) as session:
        if session.exec(select(User).where(User.username == DEMO_USER)).first() is None:
            create_user(
                session,
                username=DEMO_USER,
                password=DEMO_PASSWORD,
                role=UserRole.ADMIN,
                full_name="Demo Agent",
            )
    api_key = _demo_api_key(runtime)

    task = progress.add_task("demo orders", total=orders)
    samples = generate_corpus(
        demo_dir / "orders",
        seed=DEMO_SEED,
        count=orders,
        variants=("pdf", "mail", "scan"),
        variant_weights=(0.6, 0.25, 0.15),
    )
    for sample in samples:
        truth = load_truth(sample.truth_path)
        path = sample.path
        mail_date = datetime.fromisoformat(truth["mail_date"]) if truth.get("mail_date") else None
        inbound = InboundDocument(
            data=path.read_bytes(),
            filename=path.name,
            source="mail",
            source_ref=f"demo:{sample.id}",
            message_id=f"<demo-{sample.id}@orders.ordino.test>",
            sender_email=truth.get("sender_email"),
            mail_date=mail_date,
        )
        with session_scope(runtime.engine) as session:
            accepted = accept_inbound(session, blobs=runtime.blobs, inbound=inbound)
            document_id, created = accepted.document.id, accepted.created
        if created and document_id is not None:
            runtime.enqueue(document_id, "read")
        progress.advance(task)
    return DemoInfo(username=DEMO_USER, password=DEMO_PASSWORD, api_key=api_key)
