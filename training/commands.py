"""`ordino train` and `ordino eval`, as plain functions with Typer options (the CLI registers
them). Also runnable alone: `python -m training.commands train --quick`."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from training.eval_corpus import EVAL_COUNT, EVAL_SEED, LEARNING_SEED

console = Console()


def _data_dir() -> Path:
    return Path(os.environ.get("ORDINO_DATA_DIR", "./data"))


DataDir = Annotated[
    Path | None, typer.Option(help="data directory (default $ORDINO_DATA_DIR or ./data)")
]


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description:<36}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def train_command(
    out: Annotated[
        Path | None,
        typer.Option(
            help="a models directory (its current model) or one model artifact "
            "(default <data-dir>/models, else the shipped model)"
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="corpus and model seed")] = 7,
    count: Annotated[int, typer.Option(help="training documents")] = 450,
    validation_count: Annotated[
        int,
        typer.Option(
            help="validation documents (other layout families), on which calibration and the "
            "auto-approval thresholds are measured"
        ),
    ] = 700,
    quick: Annotated[bool, typer.Option(help="a small corpus, for tests and smoke runs")] = False,
    data_dir: DataDir = None,
    target_silent_error_rate: Annotated[float, typer.Option(help="auto-approval target")] = 0.005,
    ship: Annotated[
        bool, typer.Option(help="write the repository's default model instead")
    ] = False,
    with_corrections: Annotated[
        bool,
        typer.Option(
            "--with-corrections",
            help="also learn from the documents agents validated; the new model is promoted "
            "only if the test-split evaluation is not worse than the current one",
        ),
    ] = False,
) -> None:
    """Generate a corpus, read it, fit the scorers, calibrate, choose thresholds, save the model."""
    from extraction.model import DEFAULT_MODEL_DIR
    from training.artifact import write_artifact
    from training.dataset import training_corpus
    from training.train import train_model

    started = time.perf_counter()
    root = data_dir or _data_dir()
    models_dir = DEFAULT_MODEL_DIR if ship else (out or root / "models")
    if quick:
        count, validation_count = min(count, 120), min(validation_count, 40)
    with _progress() as progress:
        task = progress.add_task("generating", total=None)

        def step(what: str, done: int, total: int) -> None:
            progress.update(task, description=what, completed=done, total=total)

        fit, validation = training_corpus(
            root,
            seed=seed,
            count=count,
            validation_count=validation_count,
            progress=step,
        )

        if with_corrections:
            progress.update(task, description="retraining with validated documents")
            _retrain_with_corrections(fit, validation, models_dir=models_dir, data_dir=root)
            return

        model, metrics = train_model(
            fit,
            validation,
            seed=seed,
            target_silent_error_rate=target_silent_error_rate,
            step=step,
            version=None,
        )
    metrics["train_seconds"] = round(time.perf_counter() - started, 1)
    command = "ordino train " + " ".join(sys.argv[2:]) if len(sys.argv) > 2 else "ordino train"
    if ship:
        _clear_default_dir(models_dir)
    path = write_artifact(model, out_dir=models_dir, metrics=metrics, command=command)
    console.print(
        f"model [bold]{model.version}[/bold] written to {path} and marked current "
        f"({metrics['train_seconds']} s)"
    )
    by_reading: dict[str, dict[str, int]] = metrics.get("validation_by_reading") or {}  # type: ignore[assignment]
    for reading, figures in by_reading.items():
        console.print(
            f"validation, read from {reading}: {figures['approved']} of {figures['documents']} "
            f"approved alone, {figures['silent_errors']} silent errors"
        )


def _retrain_with_corrections(
    fit: list[Any], validation: list[Any], *, models_dir: Path, data_dir: Path
) -> None:
    """The corpus plus every validated document of this installation's database."""
    from models.blobs import BlobStore
    from models.db import make_engine
    from training.retrain import retrain_with_corrections, validated_samples

    url = os.environ.get("ORDINO_DATABASE_URL") or f"sqlite:///{(data_dir / 'ordino.db').resolve()}"
    engine = make_engine(url)
    try:
        corrections = validated_samples(engine, blobs=BlobStore(data_dir / "blobs"))
    finally:
        engine.dispose()
    outcome = retrain_with_corrections(
        fit=fit,
        validation=validation,
        corrections=corrections,
        models_dir=models_dir,
        data_dir=data_dir,
    )
    verdict = "promoted" if outcome.promoted else "kept the current model"
    console.print(
        f"model {outcome.version} trained with {outcome.corrections} validated documents: "
        f"{verdict}" + (f" ({'; '.join(outcome.reasons)})" if outcome.reasons else "")
    )


def _clear_default_dir(models_dir: Path) -> None:
    from extraction.model import CURRENT_POINTER

    if models_dir.exists():
        for child in models_dir.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            elif child.name == CURRENT_POINTER:
                child.unlink()


def eval_command(
    split: Annotated[
        str, typer.Option(help="test: held-out layout families; val: validation")
    ] = "test",
    json_file: Annotated[
        Path | None, typer.Option("--json", help="write the full report here")
    ] = None,
    baseline: Annotated[bool, typer.Option(help="also run the rules-only baseline")] = True,
    model_dir: Annotated[
        Path | None,
        typer.Option(
            help="a models directory (its current model) or one model artifact "
            "(default <data-dir>/models, else the shipped model)"
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            help=f"corpus seed, different from training's (default {EVAL_SEED}; with "
            f"--learning, the seed of the layout series, default {LEARNING_SEED})"
        ),
    ] = None,
    count: Annotated[int, typer.Option(help="documents to evaluate")] = EVAL_COUNT,
    learning: Annotated[
        bool,
        typer.Option(
            "--learning",
            help="instead: touchless and silent errors after 0, 1, 2 and 5 validated documents "
            "of each held-out layout (layout memory)",
        ),
    ] = False,
    distractors: Annotated[
        bool,
        typer.Option(
            "--distractors",
            help="the same documents with a GLN, project or contract number printed beside "
            "each order's PO number (a stress test of the silent-error rate)",
        ),
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Score the current model (and the rules baseline) on held-out layout families."""
    from extraction.model import model_for

    root = data_dir or _data_dir()
    try:
        if learning:
            from training.learning_eval import learning_eval_command

            learning_eval_command(
                data_dir=root,
                model_dir=model_dir,
                seed=LEARNING_SEED if seed is None else seed,
                json_file=json_file,
            )
            return
        model = model_for(model_dir, root / "models")
    except FileNotFoundError as exc:
        raise typer.BadParameter(str(exc), param_hint="--model-dir") from exc
    from training.dataset import evaluation_corpus
    from training.evaluate import failure_examples, grouped_metrics, run_extractor

    if split not in ("test", "val"):
        raise typer.BadParameter(f"unknown split {split!r}; use test or val")
    if model is None:
        console.print("[yellow]no trained model found; only the rules baseline runs[/yellow]")
    with _progress() as progress:
        task = progress.add_task("generating", total=None)

        def step(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        def corpus_step(what: str, done: int, total: int) -> None:
            progress.update(task, description=what, completed=done, total=total)

        samples = evaluation_corpus(
            root,
            split=split,
            seed=EVAL_SEED if seed is None else seed,
            count=count,
            progress=corpus_step,
            reference_distractors=distractors,
        )
        report: dict[str, Any] = {
            "split": split + (" with reference distractors" if distractors else ""),
            "documents": len(samples),
        }
        if model is not None:
            progress.update(task, description=f"extracting (model {model.version})", completed=0)
            outcomes = run_extractor(samples, model, progress=step)
            report["model"] = {
                "version": model.version,
                **grouped_metrics(outcomes),
                "failures": failure_examples(outcomes),
            }
        if baseline or model is None:
            progress.update(task, description="extracting (rules baseline)", completed=0)
            report["baseline"] = grouped_metrics(run_extractor(samples, None, progress=step))
    console.print(report_table(report))
    if json_file is not None:
        json_file.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
        console.print(f"report written to {json_file}")


_ROWS = (
    ("header_accuracy", "header field accuracy", "pct"),
    ("line_f1", "line-item F1", "pct"),
    ("line_precision", "line precision", "pct"),
    ("line_recall", "line recall", "pct"),
    ("document_exact_match", "document exact match", "pct"),
    ("touchless_rate", "touchless", "pct"),
    ("touchless_rate_orders", "touchless, orders", "pct"),
    ("touchless_rate_known_customer_orders", "touchless, known customers' orders", "pct"),
    ("silent_error_rate", "silent-error rate", "pct"),
    ("ece", "ECE (fields)", "num"),
    ("document_type_accuracy", "document type", "pct"),
)


def report_table(report: dict[str, Any]) -> Table:
    """Model vs rules baseline, overall then by variant and by family."""
    table = Table(title=f"ordino eval — split {report['split']} ({report['documents']} documents)")
    table.add_column("group")
    table.add_column("metric")
    systems = [s for s in ("model", "baseline") if s in report]
    for system in systems:
        table.add_column(
            system if system == "baseline" else f"model {report[system]['version']}",
            justify="right",
        )
    groups = [("overall", None)] + [
        (f"{kind[3:]}={name}", (kind, name))
        for kind in ("by_variant", "by_family")
        for name in report[systems[0]][kind]
    ]
    for label, where in groups:
        for key, title, fmt in _ROWS:
            cells = []
            for system in systems:
                data = (
                    report[system]["overall"]
                    if where is None
                    else report[system][where[0]][where[1]]
                )
                value = data.get(key)
                cells.append(
                    "–" if value is None else (f"{value:.1%}" if fmt == "pct" else f"{value:.3f}")
                )
            table.add_row(label, title, *cells)
        n = (
            report[systems[0]]["overall"]
            if where is None
            else report[systems[0]][where[0]][where[1]]
        )
        table.add_row(label, "documents", *[str(n["documents"])] * len(systems), end_section=True)
    return table


app = typer.Typer(add_completion=False, help="Training and evaluation of the extraction model.")
app.command("train")(train_command)
app.command("eval")(eval_command)

if __name__ == "__main__":
    app()
