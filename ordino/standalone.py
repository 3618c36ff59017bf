"""`ordino extract`: read and extract files with no server and no database writes."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlmodel import Session

from extraction.extractor import DocumentHints, extract_document, load_model
from extraction.masterdata import MasterData
from extraction.reading import ReadError
from extraction.result import HEADER_FIELDS, Decision, Extraction
from extraction.structured import StructuredFormatError
from models.db import make_engine
from models.masterdata_io import load_master_data, master_data_from_dir
from ordino.pipeline import read_for_extraction, read_limits_from
from ordino.settings import Settings


def _master_data(settings: Settings, master_dir: Path | None) -> MasterData:
    sellers = (settings.seller_name,)
    seller_vats = tuple(v for v in (settings.seller_vat_id,) if v)
    if master_dir is not None:
        return master_data_from_dir(master_dir, seller_names=sellers, seller_vat_ids=seller_vats)
    database = settings.data_dir / "ordino.db"
    if settings.database_url is None and not database.exists():
        return MasterData(seller_names=sellers, seller_vat_ids=seller_vats)
    engine = make_engine(settings.resolved_database_url)
    try:
        with Session(engine) as session:
            return load_master_data(session, seller_names=sellers, seller_vat_ids=seller_vats)
    finally:
        engine.dispose()


def unreadable(source: str, sha256: str, reason: str) -> dict[str, Any]:
    """The extraction of a file that could not be read: schema-valid, rejected, with the reason."""
    return Extraction(
        source=source,
        sha256=sha256,
        document_type="other",
        fields={name: None for name in HEADER_FIELDS},
        decision=Decision(status="rejected", reasons=[f"quarantined: {reason}"]),
    ).to_json()


def extract_files(
    files: Sequence[Path], *, master_dir: Path | None, settings: Settings, console: Console
) -> list[dict[str, Any]]:
    master = _master_data(settings, master_dir)
    model = load_model(settings.resolved_model_dir)
    limits = read_limits_from(settings)
    outputs: list[dict[str, Any]] = []
    with Progress(console=console, transient=True, disable=len(files) < 2) as progress:
        task = progress.add_task("extracting", total=len(files))
        for path in files:
            data = path.read_bytes()
            sha256 = hashlib.sha256(data).hexdigest()
            try:
                pages = read_for_extraction(
                    data, media_type=None, filename=path.name, limits=limits
                )
                extraction = extract_document(
                    pages,
                    source=path.name,
                    master=master,
                    model=model,
                    hints=DocumentHints(),
                    sha256=sha256,
                    raw=data,
                    filename=path.name,
                )
                outputs.append(extraction.to_json())
            except (ReadError, StructuredFormatError) as exc:
                console.print(f"[yellow]{path}: {exc}[/yellow]")
                outputs.append(
                    unreadable(path.name, sha256, f"{getattr(exc, 'reason', 'invalid')}: {exc}")
                )
            progress.advance(task)
    return outputs


def extraction_table(outputs: Sequence[dict[str, Any]]) -> Table:
    table = Table("source", "type", "decision", "po_number", "customer", "date", "total", "lines")
    for item in outputs:
        fields = item["fields"]

        def value(name: str, fields: dict[str, Any] = fields) -> str:
            found = fields.get(name)
            return str(found["value"]) if found and found.get("value") is not None else "-"

        table.add_row(
            item["source"],
            item["document_type"],
            item["decision"]["status"],
            value("po_number"),
            item.get("customer_id") or value("customer_name"),
            value("order_date"),
            value("total"),
            str(len(item["lines"])),
        )
    return table
