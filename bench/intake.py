"""Intake benchmark: messages taken from a real Dovecot into documents, and IDLE latency.

    uv run python -m bench.intake [--messages 300] [--runs 3] [--latency-samples 30]

Throughput: N messages with one PDF attachment each are APPENDed (not timed), then one poller
pass takes them all (fetch, MIME unpacking, file checks, blob store, documents committed, the
messages moved); reading and extraction are not part of it. The baseline, in the same run, is
a bare IMAP pass over the same messages (fetch and move, nothing kept), the ceiling that
Dovecot and imapclient allow here. Latency: a poller waits in IDLE; one message at a time is
APPENDed and the time until its document is committed is measured; the baseline is the time
until a bare client in IDLE sees the EXISTS (Dovecot waits about 0.5 s before it tells).
Figures are medians with min/max over the runs. Needs Dovecot (`apt-get install dovecot-imapd`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, func, select

import models.all_tables
import models.intake_tables  # noqa: F401
from intake.imap_client import close_quietly, connect_imap, ensure_folders, file_away
from intake.imap_source import ImapPoller
from models.blobs import BlobStore
from models.db import make_engine, session_scope
from models.intake_tables import ConnectionSecurity, Mailbox
from models.tables import Document
from tests.intake.dovecot import DOVECOT, PASSWORD, DovecotServer, dovecot_instance
from tests.intake.factories import make_pdf, order_mail

PASSWORD_ENV = "ORDINO_BENCH_IMAP_PASSWORD"
TARGET_MESSAGES_PER_SECOND = 50.0
TARGET_IDLE_P50_SECONDS = 1.0


def _fresh_store(root: Path) -> tuple[Engine, BlobStore]:
    root.mkdir(parents=True)
    engine = make_engine(f"sqlite:///{root / 'ordino.db'}")
    SQLModel.metadata.create_all(engine)
    return engine, BlobStore(root / "blobs")


def _mailbox(engine: Engine, server: DovecotServer, user: str) -> Mailbox:
    with session_scope(engine) as session:
        mailbox = Mailbox(
            name=user,
            host="127.0.0.1",
            port=server.port,
            security=ConnectionSecurity.NONE,
            username=user,
            password_env=PASSWORD_ENV,
            poll_interval_seconds=1,
        )
        session.add(mailbox)
        session.flush()
        session.expunge(mailbox)
    return mailbox


def _documents(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(Document)).one())


def _messages(count: int) -> list[bytes]:
    """Every message carries a different PDF (as real mail does), so each one is stored."""
    pdf = make_pdf("Purchase order for the intake benchmark", pages=2)
    return [order_mail(pdf=pdf + f"% {n}\n".encode(), subject=f"Order {n}") for n in range(count)]


def bare_imap_pass(server: DovecotServer, user: str, mailbox: Mailbox) -> float:
    """Seconds to fetch and move every message with nothing else done: the baseline."""
    client = connect_imap(mailbox)
    try:
        ensure_folders(client, [mailbox.processed_folder])
        started = time.perf_counter()
        client.select_folder(mailbox.folder)
        uids = sorted(client.search(["NOT", "DELETED"]))
        for start in range(0, len(uids), 50):
            batch = uids[start : start + 50]
            client.fetch(batch, ["RFC822.SIZE"])
            client.fetch(batch, ["BODY.PEEK[]"])
            file_away(client, batch, folder=mailbox.processed_folder, keyword="")
        return time.perf_counter() - started
    finally:
        close_quietly(client)


def throughput_run(server: DovecotServer, work: Path, count: int) -> tuple[float, float, float]:
    """(intake messages/s, bare IMAP messages/s, intake CPU ms per message) for one run."""
    messages = _messages(count)
    engine, blobs = _fresh_store(work / "intake")
    user = server.take_user()
    server.append(user, messages)
    mailbox = _mailbox(engine, server, user)
    assert mailbox.id is not None
    poller = ImapPoller(
        mailbox_id=mailbox.id, engine=engine, blobs=blobs, enqueue=lambda d, s: None
    )
    started, cpu_started = time.perf_counter(), time.process_time()
    taken = poller.poll_once()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if taken != count or _documents(engine) != count:
        raise SystemExit(f"intake took {taken} messages and made {_documents(engine)} documents")
    engine.dispose()

    baseline_engine, _ = _fresh_store(work / "baseline")
    baseline_user = server.take_user()
    server.append(baseline_user, messages)
    baseline_seconds = bare_imap_pass(
        server, baseline_user, _mailbox(baseline_engine, server, baseline_user)
    )
    baseline_engine.dispose()
    return count / elapsed, count / baseline_seconds, cpu / count * 1000


def idle_latencies(server: DovecotServer, work: Path, samples: int) -> list[float]:
    engine, blobs = _fresh_store(work / "latency")
    user = server.take_user()
    mailbox = _mailbox(engine, server, user)
    assert mailbox.id is not None
    stop = threading.Event()
    poller = ImapPoller(
        mailbox_id=mailbox.id, engine=engine, blobs=blobs, enqueue=lambda d, s: None
    )
    thread = threading.Thread(target=poller.run, args=(stop,), daemon=True)
    thread.start()
    time.sleep(1.0)
    pdf = make_pdf("Purchase order for the latency benchmark")
    latencies = []
    try:
        for n in range(samples):
            raw = order_mail(pdf=pdf, subject=f"Latency {n}")
            started = time.perf_counter()
            server.append(user, [raw])
            while _documents(engine) < n + 1:
                if time.perf_counter() - started > 30:
                    raise SystemExit("a message APPENDed was not taken within 30 s")
                time.sleep(0.005)
            latencies.append(time.perf_counter() - started)
            time.sleep(0.2)
    finally:
        stop.set()
        thread.join(timeout=10)
        engine.dispose()
    return latencies


def bare_idle_latencies(server: DovecotServer, samples: int) -> list[float]:
    """APPEND → EXISTS seen by a bare client in IDLE: what Dovecot itself takes to tell."""
    user = server.take_user()
    client = server.client(user)
    client.select_folder("INBOX")
    raw = order_mail(subject="bare latency")
    latencies = []
    try:
        for _ in range(samples):
            client.idle()
            started = time.perf_counter()
            server.append(user, [raw])
            while not any(len(r) > 1 and r[1] == b"EXISTS" for r in client.idle_check(timeout=5)):
                if time.perf_counter() - started > 30:
                    raise SystemExit("Dovecot sent no EXISTS within 30 s")
            latencies.append(time.perf_counter() - started)
            client.idle_done()
    finally:
        client.logout()
    return latencies


def _summary(values: Sequence[float], unit: str, digits: int = 1) -> str:
    return (
        f"median {statistics.median(values):.{digits}f} {unit} "
        f"(min {min(values):.{digits}f}, max {max(values):.{digits}f}, n={len(values)})"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--latency-samples", type=int, default=30)
    args = parser.parse_args(argv)
    if not Path(DOVECOT).exists():
        print("bench intake: Dovecot is not installed (apt-get install dovecot-imapd)")
        return 1
    os.environ[PASSWORD_ENV] = PASSWORD
    with (
        tempfile.TemporaryDirectory(prefix="ordino-bench-intake-") as tmp,
        dovecot_instance() as server,
    ):
        rates, baselines, cpu_ms = [], [], []
        load_before = os.getloadavg()[0]
        for run in range(args.runs):
            rate, baseline, cpu = throughput_run(server, Path(tmp) / f"run{run}", args.messages)
            rates.append(rate)
            baselines.append(baseline)
            cpu_ms.append(cpu)
        latencies = idle_latencies(server, Path(tmp), args.latency_samples)
        bare_latencies = bare_idle_latencies(server, args.latency_samples)
    ratio = statistics.median(rates) / statistics.median(baselines)
    p50 = statistics.median(latencies)
    print(
        "intake, Dovecot → documents, one 2-page PDF per message, "
        + f"{args.messages} messages × {args.runs} runs"
    )
    print(f"  intake:             {_summary(rates, 'messages/s')}")
    print(f"  bare IMAP baseline: {_summary(baselines, 'messages/s')}")
    print(f"  intake / baseline:  {ratio:.2f}")
    print(f"  intake CPU time (this process, all threads): {_summary(cpu_ms, 'ms/message')}")
    print(f"  machine load average before the runs: {load_before:.1f} on {os.cpu_count()} cores")
    print(f"  APPEND → document stored, IDLE: p50 {_summary(latencies, 's', 3)}")
    print(f"  APPEND → EXISTS, bare IDLE client (baseline): {_summary(bare_latencies, 's', 3)}")
    print(
        f"  targets: ≥ {TARGET_MESSAGES_PER_SECOND:.0f} messages/s "
        f"({'met' if statistics.median(rates) >= TARGET_MESSAGES_PER_SECOND else 'MISSED'}), "
        f"IDLE p50 ≤ {TARGET_IDLE_P50_SECONDS:.0f} s "
        f"({'met' if p50 <= TARGET_IDLE_P50_SECONDS else 'MISSED'})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
