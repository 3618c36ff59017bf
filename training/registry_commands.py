"""`ordino model list|promote|rollback`: the versioned model artifacts under the models directory.

Promotion is gated: the candidate and the current model are both evaluated on the fixed test
split (held-out layout families, the `ordino eval` corpus) and the candidate goes live only if it
is not worse — no lower touchless rate or document exact match, no higher silent-error rate.
Both are shown either way. Every promotion and rollback is appended to `history.jsonl`, which is
what `rollback` walks back through.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from extraction.model import CURRENT_POINTER, MANIFEST_FILE, ExtractorModel, load_artifact
from models.errors import ValidationFailedError
from training.eval_corpus import EVAL_COUNT, EVAL_SEED

HISTORY_FILE = "history.jsonl"
GATED_METRICS: tuple[tuple[str, str], ...] = (
    ("touchless_rate", "higher"),
    ("document_exact_match", "higher"),
    ("silent_error_rate", "lower"),
)
"""What "not worse" means for a promotion, metric by metric."""

console = Console()
model_app = typer.Typer(add_completion=False, help="List, promote and roll back extraction models.")


class ModelNotFoundError(ValidationFailedError):
    title = "No such model version"


def _models_dir(models_dir: Path | None) -> Path:
    return models_dir or Path(os.environ.get("ORDINO_DATA_DIR", "./data")) / "models"


ModelsDir = Annotated[
    Path | None, typer.Option(help="models directory (default <data-dir>/models)")
]


def model_versions(models_dir: Path) -> list[str]:
    """Every artifact version in the directory, oldest first (versions are UTC timestamps)."""
    if not models_dir.is_dir():
        return []
    return sorted(
        p.name
        for p in models_dir.iterdir()
        if p.is_dir() and not p.name.startswith(".") and (p / MANIFEST_FILE).is_file()
    )


def current_version(models_dir: Path) -> str | None:
    pointer = models_dir / CURRENT_POINTER
    return pointer.read_text(encoding="utf-8").strip() if pointer.is_file() else None


def set_current(models_dir: Path, version: str, *, action: str, details: dict[str, Any]) -> None:
    """Point `current` at `version` atomically and record it in the history."""
    if version not in model_versions(models_dir):
        raise ModelNotFoundError(
            f"no model {version!r} in {models_dir}; `ordino model list` shows the versions"
        )
    tmp = models_dir / f".{CURRENT_POINTER}.tmp"
    tmp.write_text(version + "\n", encoding="utf-8")
    os.replace(tmp, models_dir / CURRENT_POINTER)
    entry = {"at": datetime.now(UTC).isoformat(), "action": action, "version": version, **details}
    with (models_dir / HISTORY_FILE).open("a", encoding="utf-8") as history:
        history.write(json.dumps(entry, default=str) + "\n")


def promotion_history(models_dir: Path) -> list[dict[str, Any]]:
    path = models_dir / HISTORY_FILE
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def previous_version(models_dir: Path) -> str | None:
    """The version that was live before the current one: from the history, else the newest
    version older than the current one."""
    current = current_version(models_dir)
    live = [e["version"] for e in promotion_history(models_dir)]
    while live and live[-1] == current:
        live.pop()
    if live:
        return str(live[-1])
    older = [v for v in model_versions(models_dir) if current is None or v < current]
    return older[-1] if older else None


def promotion_gate(
    candidate: dict[str, Any], current: dict[str, Any] | None
) -> tuple[bool, list[str]]:
    """Is the candidate not worse than the current model on every gated metric? With reasons."""
    if current is None:
        return True, ["no current model to compare with"]
    reasons = []
    for key, better in GATED_METRICS:
        new, old = float(candidate[key]), float(current[key])
        worse = new < old if better == "higher" else new > old
        if worse:
            reasons.append(f"{key} {new:.3f} is worse than the current model's {old:.3f}")
    return not reasons, reasons


def evaluate_on_test_split(
    model: ExtractorModel, *, data_dir: Path, seed: int, count: int
) -> dict[str, Any]:
    """The model's metrics on the fixed test split (`ordino eval`'s corpus, cached)."""
    from training.dataset import evaluation_corpus
    from training.evaluate import metrics, run_extractor

    samples = evaluation_corpus(data_dir, split="test", seed=seed, count=count)
    return metrics(run_extractor(samples, model))


def _load(models_dir: Path, version: str) -> ExtractorModel:
    model = load_artifact(models_dir / version)
    if model is None:
        raise ModelNotFoundError(
            f"model {version!r} in {models_dir} cannot be loaded (see the log); "
            "`ordino model list` shows the versions"
        )
    return model


@model_app.command("list")
def list_command(models_dir: ModelsDir = None) -> None:
    """The model versions, the one in use marked, with their validation figures."""
    root = _models_dir(models_dir)
    current = current_version(root)
    table = Table(title=f"models in {root}")
    for column in ("", "version", "command", "validation touchless", "silent errors"):
        table.add_column(column)
    for version in model_versions(root):
        manifest = json.loads((root / version / MANIFEST_FILE).read_text(encoding="utf-8"))
        metrics_path = root / version / "metrics.json"
        figures = (
            json.loads(metrics_path.read_text(encoding="utf-8")) if metrics_path.is_file() else {}
        )
        touchless = figures.get("validation_touchless")
        table.add_row(
            "*" if version == current else "",
            version,
            str(manifest.get("command", "")),
            f"{touchless:.1%}" if isinstance(touchless, float) else "–",
            str(figures.get("validation_silent_errors", "–")),
        )
    console.print(table)


@model_app.command("promote")
def promote_command(
    version: Annotated[str, typer.Argument(help="the version to put live")],
    models_dir: ModelsDir = None,
    seed: Annotated[int, typer.Option(help="test corpus seed (as `ordino eval`)")] = EVAL_SEED,
    count: Annotated[int, typer.Option(help="test documents (as `ordino eval`)")] = EVAL_COUNT,
    force: Annotated[bool, typer.Option(help="promote even if the evaluation is worse")] = False,
) -> None:
    """Evaluate the version and the current model on the fixed test split; promote if not worse."""
    root = _models_dir(models_dir)
    data_dir = root.parent
    candidate = evaluate_on_test_split(
        _load(root, version), data_dir=data_dir, seed=seed, count=count
    )
    live = current_version(root)
    current = (
        evaluate_on_test_split(_load(root, live), data_dir=data_dir, seed=seed, count=count)
        if live is not None and live != version
        else None
    )
    console.print(_comparison(version, candidate, live, current))
    ok, reasons = promotion_gate(candidate, current)
    if not ok and not force:
        console.print("[red]not promoted[/red]: " + "; ".join(reasons))
        raise typer.Exit(code=1)
    set_current(
        root,
        version,
        action="promote",
        details={"test_metrics": _gated(candidate), "replaced": live, "forced": not ok},
    )
    console.print(f"[green]{version} is now the current model[/green]")


@model_app.command("rollback")
def rollback_command(models_dir: ModelsDir = None) -> None:
    """Put the previously live model back."""
    root = _models_dir(models_dir)
    previous = previous_version(root)
    if previous is None:
        raise ModelNotFoundError(f"no earlier model to roll back to in {root}")
    set_current(root, previous, action="rollback", details={"replaced": current_version(root)})
    console.print(f"[green]rolled back to {previous}[/green]")


def _gated(figures: dict[str, Any]) -> dict[str, Any]:
    return {key: figures[key] for key, _ in GATED_METRICS}


def _comparison(
    version: str, candidate: dict[str, Any], live: str | None, current: dict[str, Any] | None
) -> Table:
    table = Table(title="test split: candidate vs current")
    table.add_column("metric")
    table.add_column(f"candidate {version}", justify="right")
    table.add_column(f"current {live or '–'}", justify="right")
    for key, _ in (*GATED_METRICS, ("header_accuracy", "higher"), ("line_f1", "higher")):
        old = f"{current[key]:.1%}" if current is not None else "–"
        table.add_row(key, f"{candidate[key]:.1%}", old)
    return table
