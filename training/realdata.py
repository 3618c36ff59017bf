"""The extractor on real third-party documents (../shared/realdata), read from the visible page.

- Factur-X / ZUGFeRD e-invoices: the truth is the embedded CII XML, read with the structured
  reader; the extraction reads the page only (no raw bytes, so the XML is not used).
- invoice2data PDFs: the truth is their expected JSON.

Only the fields both sides define are compared; these are invoices, not orders, so order-only
fields (delivery date, ship-to) are left out.

    uv run python -m training.realdata [--realdata ../shared/realdata] [--json FILE]
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from extraction.extractor import extract_document
from extraction.masterdata import MasterData
from extraction.model import ExtractorModel, model_for
from extraction.normalize import values_equal
from extraction.reading import ReadError, read_document
from extraction.result import ExtractedLine, Extraction
from extraction.structured import StructuredFormatError, read_structured

EINVOICE_FIELDS = (
    "po_number",
    "customer_name",
    "customer_vat_id",
    "currency",
    "subtotal",
    "tax_total",
    "total",
)
INVOICE2DATA_FIELDS = {
    "amount": "total",
    "amount_untaxed": "subtotal",
    "amount_tax": "tax_total",
    "currency": "currency",
    "purchase_order_id": "po_number",
}


@dataclass
class FieldTally:
    compared: dict[str, int] = field(default_factory=dict)
    correct: dict[str, int] = field(default_factory=dict)
    lines_expected: int = 0
    lines_predicted: int = 0
    lines_matched: int = 0
    documents: int = 0
    unreadable: list[str] = field(default_factory=list)
    misses: list[dict[str, Any]] = field(default_factory=list)

    def add(self, name: str, right: bool, *, doc: str, got: str | None, want: str | None) -> None:
        self.compared[name] = self.compared.get(name, 0) + 1
        self.correct[name] = self.correct.get(name, 0) + right
        if not right:
            self.misses.append({"document": doc, "field": name, "predicted": got, "expected": want})


def _lines_match(got: ExtractedLine, want: ExtractedLine) -> bool:
    def dec(v: str | None) -> Decimal | None:
        return Decimal(v) if v is not None else None

    return (
        dec(got.quantity) == dec(want.quantity)
        and dec(got.line_total) == dec(want.line_total)
        and dec(got.unit_price) == dec(want.unit_price)
    )


def _tally_lines(tally: FieldTally, got: list[ExtractedLine], want: list[ExtractedLine]) -> None:
    used = [False] * len(want)
    for line in got:
        for j, expected in enumerate(want):
            if not used[j] and _lines_match(line, expected):
                used[j] = True
                break
    tally.lines_expected += len(want)
    tally.lines_predicted += len(got)
    tally.lines_matched += sum(used)


def _extract_page(path: Path, model: ExtractorModel | None) -> Extraction:
    data = path.read_bytes()
    read = read_document(data, filename=path.name)
    return extract_document(
        read, source=path.name, master=MasterData(), model=model, read_as_order=True
    )


def evaluate_einvoices(folder: Path, model: ExtractorModel | None) -> FieldTally:
    tally = FieldTally()
    for pdf in sorted(folder.rglob("*.pdf")):
        try:
            truth = read_structured(pdf.read_bytes(), source=pdf.name, filename=pdf.name)
        except StructuredFormatError:
            truth = None
        if truth is None:
            continue
        try:
            got = _extract_page(pdf, model)
        except ReadError as exc:
            tally.unreadable.append(f"{pdf.name}: {exc}")
            continue
        tally.documents += 1
        for name in EINVOICE_FIELDS:
            want = truth.field_value(name)
            if want is None:
                continue
            value = got.field_value(name)
            tally.add(name, values_equal(name, value, want), doc=pdf.name, got=value, want=want)
        _tally_lines(tally, got.lines, truth.lines)
    return tally


def evaluate_invoice2data(folder: Path, model: ExtractorModel | None) -> FieldTally:
    tally = FieldTally()
    for pdf in sorted(folder.glob("*.pdf")):
        expected_path = pdf.with_suffix(".json")
        if not expected_path.exists():
            continue
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        expected = expected[0] if isinstance(expected, list) else expected
        try:
            got = _extract_page(pdf, model)
        except ReadError as exc:
            tally.unreadable.append(f"{pdf.name}: {exc}")
            continue
        tally.documents += 1
        for key, name in INVOICE2DATA_FIELDS.items():
            if expected.get(key) in (None, ""):
                continue
            want = str(expected[key])
            value = got.field_value(name)
            tally.add(name, values_equal(name, value, want), doc=pdf.name, got=value, want=want)
    return tally


def tally_table(title: str, tallies: dict[str, FieldTally]) -> Table:
    table = Table(title=title)
    table.add_column("field")
    for system in tallies:
        table.add_column(system, justify="right")
    names = sorted({n for t in tallies.values() for n in t.compared})
    for name in names:
        table.add_row(
            name, *[f"{t.correct.get(name, 0)}/{t.compared.get(name, 0)}" for t in tallies.values()]
        )
    table.add_row(
        "lines matched / expected",
        *[
            f"{t.lines_matched}/{t.lines_expected} (predicted {t.lines_predicted})"
            for t in tallies.values()
        ],
    )
    table.add_row("documents", *[str(t.documents) for t in tallies.values()])
    return table


def realdata_command(
    realdata: Annotated[Path, typer.Option(help="the shared real-data folder")] = Path(
        "../shared/realdata"
    ),
    model_dir: Annotated[Path | None, typer.Option(help="models directory")] = None,
    json_file: Annotated[Path | None, typer.Option("--json", help="write the report here")] = None,
) -> None:
    """Model and rules side by side on the real e-invoices and invoice2data PDFs."""
    console = Console()
    if not realdata.is_dir():
        raise typer.BadParameter(f"{realdata} not found; pass --realdata")
    try:
        model = model_for(model_dir, None)
    except FileNotFoundError as exc:
        raise typer.BadParameter(str(exc), param_hint="--model-dir") from exc
    systems: dict[str, ExtractorModel | None] = {"rules": None}
    if model is not None:
        systems = {f"model {model.version}": model, "rules": None}
    report: dict[str, Any] = {}
    for title, folder, run in (
        (
            "e-invoices (visible page vs embedded XML)",
            realdata / "04_einvoices_facturx_zugferd",
            evaluate_einvoices,
        ),
        (
            "invoice2data PDFs (vs expected JSON)",
            realdata / "01_invoice2data" / "compare",
            evaluate_invoice2data,
        ),
    ):
        tallies = {name: run(folder, m) for name, m in systems.items()}
        console.print(tally_table(title, tallies))
        report[title] = {name: vars(t) for name, t in tallies.items()}
    if json_file is not None:
        json_file.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    typer.run(realdata_command)
