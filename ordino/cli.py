"""The `ordino` command line."""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from intake.commands import folder_app, mailbox_app
from review_ui.commands import user_app
from training.commands import eval_command, train_command
from training.registry_commands import model_app

if TYPE_CHECKING:
    from ordino.runtime import Runtime
    from ordino.settings import Settings

app = typer.Typer(
    name="ordino",
    help="Ordino: purchase orders by e-mail and fax, turned into clean ERP orders.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
import_app = typer.Typer(
    help="Load master data from CSV files (see docs/master-data.md).", no_args_is_help=True
)
apikey_app = typer.Typer(help="API keys for the ERP side.", no_args_is_help=True)
app.add_typer(import_app, name="import")
app.add_typer(apikey_app, name="apikey")
app.add_typer(user_app, name="user", help="Users of the review screens.")
app.add_typer(mailbox_app, name="mailbox", help="IMAP mailboxes that orders arrive in.")
app.add_typer(folder_app, name="folder", help="Hot folders a fax server writes to.")
app.add_typer(model_app, name="model", help="Extraction model versions: list, promote, roll back.")
app.command("train", help="Train the extraction model on the synthetic corpus.")(train_command)
app.command(
    "eval", help="Evaluate the extraction model on held-out layouts, beside a rules baseline."
)(eval_command)

console = Console(stderr=True)


@app.callback()
def main(
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            envvar="ORDINO_DATA_DIR",
            help="Where the database, queue, blobs and models live.",
        ),
    ] = None,
) -> None:
    if data_dir is not None:
        os.environ["ORDINO_DATA_DIR"] = str(data_dir)


def _settings() -> Settings:
    from ordino.settings import get_settings

    return get_settings()


def _runtime() -> Runtime:
    from ordino.logs import configure_logging
    from ordino.migrations import upgrade_database
    from ordino.runtime import Runtime

    settings = _settings()
    configure_logging(level=settings.log_level, fmt=settings.log_format)
    runtime = Runtime.from_settings(settings)
    upgrade_database(runtime.engine)
    return runtime


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on (ORDINO_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (ORDINO_PORT).")] = None,
    worker: Annotated[
        bool, typer.Option(help="Also run a queue consumer and the intake pollers in this process.")
    ] = True,
) -> None:
    """Serve the API, the review screens and (by default) an in-process worker."""
    import uvicorn

    from ordino.app import create_app

    runtime = _runtime()
    settings = runtime.settings
    application = create_app(
        settings, runtime=runtime, start_worker=worker and settings.inprocess_worker
    )
    url = f"http://{host or settings.host}:{port or settings.port}"
    console.print(f"Ordino serving on [bold]{url}[/bold]  (API docs: {url}/docs)")
    uvicorn.run(
        application,
        host=host or settings.host,
        port=port or settings.port,
        log_config=None,
        access_log=False,
    )


@app.command()
def worker(
    threads: Annotated[
        int | None, typer.Option(help="Consumer threads (ORDINO_WORKER_CONCURRENCY).")
    ] = None,
    intake: Annotated[bool, typer.Option(help="Also poll the mailboxes and hot folders.")] = True,
) -> None:
    """Run queue consumers (read, extract, decide, webhooks) until interrupted."""
    import signal
    import threading

    runtime = _runtime()
    runtime.start_workers(threads=threads, intake=intake)
    console.print(f"Ordino worker running (pid {os.getpid()}); Ctrl+C to stop.")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    runtime.stop_workers()


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema (Alembic)."""
    runtime = _runtime()
    console.print(
        f"Database at {runtime.settings.resolved_database_url.split('@')[-1]} is up to date."
    )


class MasterKind(StrEnum):
    customers = "customers"
    products = "products"
    customer_items = "customer-items"


def _import(kind: MasterKind, file: Path) -> None:
    from models.db import session_scope
    from models.errors import ImportFailedError
    from models.masterdata_io import import_master_csv

    runtime = _runtime()
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        console.print(f"[red]{file} is not UTF-8 text; save it as UTF-8 and try again.[/red]")
        raise typer.Exit(2) from None
    try:
        with session_scope(runtime.engine) as session:
            report = import_master_csv(session, kind=kind.value, text=text)
    except ImportFailedError as exc:
        console.print(f"[red]{exc.detail}[/red]")
        for line, reason in exc.errors:
            console.print(f"  line {line}: {reason}")
        raise typer.Exit(1) from None
    console.print(
        f"{kind.value}: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged"
    )


@import_app.command("customers")
def import_customers(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    """Upsert customers from a CSV file (all rows or none)."""
    _import(MasterKind.customers, file)


@import_app.command("products")
def import_products(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    """Upsert products from a CSV file (all rows or none)."""
    _import(MasterKind.products, file)


@import_app.command("customer-items")
def import_customer_items(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
) -> None:
    """Upsert customer part numbers from a CSV file (all rows or none)."""
    _import(MasterKind.customer_items, file)


@app.command()
def ingest(
    files: Annotated[
        list[Path], typer.Argument(exists=True, dir_okay=False, help=".eml messages or order files")
    ],
    wait: Annotated[
        bool, typer.Option(help="Process the documents here and now, and print where each ended.")
    ] = False,
) -> None:
    """Take files in as if they had arrived by mail (an .eml is unpacked like a real message)."""
    from ordino.ingest import ingest_files

    runtime = _runtime()
    results = ingest_files(runtime, files, process_now=wait, console=console)
    table = Table("file", "document", "state", "note")
    for row in results:
        table.add_row(*row)
    Console().print(table)


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    table = "table"


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False)],
    format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="jsonl, json or table")
    ] = OutputFormat.jsonl,
    master_data: Annotated[
        Path | None,
        typer.Option(
            help="A folder with customers.csv, products.csv, customer_items.csv "
            "(default: the database's)."
        ),
    ] = None,
) -> None:
    """Read and extract files, printing one extraction.schema.json object per input, in input order.

    Needs no server: nothing is stored.
    """
    from ordino.standalone import extract_files

    outputs = extract_files(files, master_dir=master_data, settings=_settings(), console=console)
    out = sys.stdout
    if format == OutputFormat.jsonl:
        for item in outputs:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    elif format == OutputFormat.json:
        out.write(
            json.dumps(outputs if len(outputs) != 1 else outputs[0], ensure_ascii=False, indent=2)
            + "\n"
        )
    else:
        from ordino.standalone import extraction_table

        Console().print(extraction_table(outputs))


@apikey_app.command("create")
def apikey_create(
    name: Annotated[str, typer.Option(help="Who or what uses the key, e.g. 'erp-prod'.")],
    scopes: Annotated[
        str, typer.Option(help="Space- or comma-separated: read, write, admin.")
    ] = "read",
) -> None:
    """Create an API key; the key is printed once and only its hash is kept."""
    from models.auth import create_api_key
    from models.db import session_scope

    runtime = _runtime()
    with session_scope(runtime.engine) as session:
        created = create_api_key(session, name=name, scopes=scopes.replace(",", " ").split())
    console.print(f"API key '{name}' ({created.key.scopes}); keep it now, it is not shown again:")
    print(created.plaintext)


@apikey_app.command("list")
def apikey_list() -> None:
    """List API keys (never the keys themselves)."""
    from sqlmodel import Session, select

    from models.tables import ApiKey

    runtime = _runtime()
    table = Table("id", "name", "prefix", "scopes", "created", "last used", "revoked")
    with Session(runtime.engine) as session:
        for key in session.exec(select(ApiKey)).all():
            table.add_row(
                str(key.id),
                key.name,
                key.prefix,
                key.scopes,
                f"{key.created_at:%Y-%m-%d %H:%M}",
                f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "-",
                f"{key.revoked_at:%Y-%m-%d}" if key.revoked_at else "-",
            )
    Console().print(table)


@apikey_app.command("revoke")
def apikey_revoke(
    prefix: Annotated[str, typer.Argument(help="The key's prefix, as `apikey list` shows it.")],
) -> None:
    """Revoke an API key at once."""
    from sqlmodel import select

    from models.db import session_scope
    from models.tables import ApiKey, utcnow

    runtime = _runtime()
    with session_scope(runtime.engine) as session:
        key = session.exec(select(ApiKey).where(ApiKey.prefix == prefix)).first()
        if key is None:
            console.print(f"[red]no API key with prefix {prefix!r}[/red]")
            raise typer.Exit(1)
        key.revoked_at = utcnow()
        session.add(key)
    console.print(f"revoked {prefix}")


@app.command()
def demo(
    orders: Annotated[int, typer.Option(help="How many demo orders to take in.")] = 8,
) -> None:
    """Load demo master data, a demo user and API key, and a few demo orders (idempotent)."""
    from ordino.demo import load_demo

    runtime = _runtime()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        info = load_demo(runtime, orders=orders, progress=progress)
    settings = runtime.settings
    console.print(
        f"\nDemo ready.\n  URL:      http://{settings.host}:{settings.port}\n"
        f"  Sign in:  {info.username} / {info.password}\n  API key:  {info.api_key}\n"
    )
