"""`ordino eval --learning`: does one validated document teach the whole layout?

For layout families never seen in training, a series of orders of ONE layout from ONE customer is
fed in order; each document is validated with its ground truth as an agent would (the layout
memory learns it, corrected products with a printed customer part number become customer items).
The same last documents of each series are then extracted after 0, 1, 2 and 5 validated
documents of their layout, and we report the touchless rate and the silent errors (auto-approved
documents with anything wrong) at each step, plus the precision of the fields the memory decided.

Run alone: `uv run python -m training.learning_eval [--variant pdf] [--model-dir DIR]`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rich.table import Table

from extraction.extractor import Analysis, analyse_document, extract_from_analysis
from extraction.layout_memory import (
    LayoutMemory,
    best_memory,
    layout_fingerprint,
    learn_layout,
)
from extraction.layout_memory_items import learned_customer_items
from extraction.masterdata import MasterData
from extraction.model import ExtractorModel
from extraction.result import HEADER_FIELDS, Decision, ExtractedField, ExtractedLine, Extraction
from training.dataset import TEST_FAMILIES, Sample, load_samples
from training.eval_corpus import LEARNING_SEED
from training.synth.corpus import generate_layout_series
from training.synth.world import build_world
from training.truth_match import document_correct, field_correct

CHECKPOINTS: tuple[int, ...] = (0, 1, 2, 5)
"""Validated documents of the layout before the measured documents."""
Progress = Callable[[int, int], None]


@dataclass
class StepCounts:
    documents: int = 0
    auto_approved: int = 0
    silent_errors: int = 0
    correct: int = 0
    memory_fields: int = 0
    memory_fields_right: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "touchless_rate": self.auto_approved / self.documents if self.documents else 0.0,
            "auto_approved": self.auto_approved,
            "silent_errors": self.silent_errors,
            "document_exact_match": self.correct / self.documents if self.documents else 0.0,
            "memory_fields": self.memory_fields,
            "memory_field_precision": (
                self.memory_fields_right / self.memory_fields if self.memory_fields else None
            ),
        }


@dataclass
class LearningReport:
    model_version: str
    variant: str
    series: list[str]
    steps: dict[int, StepCounts] = field(default_factory=dict)
    by_family: dict[str, dict[int, StepCounts]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "model_version": self.model_version,
            "variant": self.variant,
            "series": self.series,
            "after_validated": {str(k): v.to_json() for k, v in self.steps.items()},
            "by_family": {
                family: {str(k): v.to_json() for k, v in steps.items()}
                for family, steps in self.by_family.items()
            },
        }


def run_learning_eval(
    work_dir: Path,
    *,
    model: ExtractorModel | None,
    seed: int = LEARNING_SEED,
    variant: str = "pdf",
    customers_per_family: int = 2,
    measured_documents: int = 4,
    families: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> LearningReport:
    """Generate the series (cached), read them (cached), and measure every checkpoint."""
    chosen = [f for f in (families or TEST_FAMILIES)]
    customers = [c.customer_id for c in build_world(seed).customers if c.customer_id]
    per_series = max(CHECKPOINTS) + measured_documents
    series: list[tuple[str, list[Sample]]] = []
    jobs = [
        (family, customers[(3 * f + 5 * c + 1) % len(customers)])
        for f, family in enumerate(chosen)
        for c in range(customers_per_family)
    ]
    for i, (family, customer_id) in enumerate(jobs):
        folder = work_dir / "series" / f"{family}-{customer_id}-{variant}-{seed}"
        metas = _series_metas(folder, family, customer_id, per_series, seed, variant)
        samples = load_samples(metas, cache_dir=work_dir / "reads")
        if len(samples) == per_series and all(_is_order(s) for s in samples):
            series.append((f"{family}/{customer_id}", samples))
        if progress:
            progress(i + 1, len(jobs))
    report = LearningReport(
        model_version=model.version if model is not None else "rules",
        variant=variant,
        series=[name for name, _ in series],
        steps={k: StepCounts() for k in CHECKPOINTS},
    )
    for name, samples in series:
        family = name.split("/")[0]
        family_steps = report.by_family.setdefault(family, {k: StepCounts() for k in CHECKPOINTS})
        for k, outcomes in _measure_series(samples, model, measured_documents).items():
            for extraction, sample in outcomes:
                for counts in (report.steps[k], family_steps[k]):
                    _count(counts, extraction, sample)
    return report


def _series_metas(
    folder: Path, family: str, customer_id: str, count: int, seed: int, variant: str
) -> list[Any]:
    from training.dataset import meta_from_json

    manifest = folder / "series.json"
    if manifest.exists():
        return [meta_from_json(m) for m in json.loads(manifest.read_text(encoding="utf-8"))]
    metas = generate_layout_series(
        folder, family=family, customer_id=customer_id, count=count, seed=seed, variant=variant
    )
    stored = [{**m.to_json(), "path": str(m.path), "truth_path": str(m.truth_path)} for m in metas]
    manifest.write_text(json.dumps(stored), encoding="utf-8")
    return metas


def _is_order(sample: Sample) -> bool:
    return sample.truth["document_type"] == "purchase_order"


def _measure_series(
    samples: Sequence[Sample], model: ExtractorModel | None, measured: int
) -> dict[int, list[tuple[Extraction, Sample]]]:
    """Validate the series' documents one by one; at each checkpoint extract the measured tail."""
    tail = samples[-measured:]
    memories: list[LayoutMemory] = []
    master = samples[0].master
    results: dict[int, list[tuple[Extraction, Sample]]] = {}
    validated = 0
    for k in CHECKPOINTS:
        while validated < k:
            sample = samples[validated]
            extraction, analysis = extract_with_memory(sample, model, memories, master)
            memories, master = validate_with_truth(sample, analysis, extraction, memories, master)
            validated += 1
        results[k] = [
            (extract_with_memory(sample, model, memories, master)[0], sample) for sample in tail
        ]
    return results


def extract_with_memory(
    sample: Sample, model: ExtractorModel | None, memories: Sequence[LayoutMemory], master: Any
) -> tuple[Extraction, Analysis]:
    """The extraction the pipeline makes for this sender: its layout's memory as a hint."""
    analysis = analyse_document(sample.read, master=master, hints=sample.hints)
    memory = best_memory(memories, layout_fingerprint(analysis.layout))
    hints = replace(sample.hints, layout_memory=memory)
    extraction, _ = extract_from_analysis(
        analysis, source=sample.meta.id, master=master, model=model, hints=hints
    )
    return extraction, analysis


def validate_with_truth(
    sample: Sample,
    analysis: Analysis,
    extraction: Extraction,
    memories: list[LayoutMemory],
    master: MasterData,
) -> tuple[list[LayoutMemory], MasterData]:
    """What an agent's validation teaches: the layout memory and learnt customer items."""
    truth = truth_extraction(sample)
    fingerprint = layout_fingerprint(analysis.layout)
    previous = best_memory(memories, fingerprint)
    learned = learn_layout(
        previous,
        layout=analysis.layout,
        hits=analysis.hits,
        candidates=analysis.candidates,
        validated=truth,
        model_lines=extraction.lines,
        sender=sample.hints.sender_email,
    )
    memories = [m for m in memories if m is not previous] + [learned]
    items = learned_customer_items(
        customer_id=truth.customer_id, model_lines=extraction.lines, validated_lines=truth.lines
    )
    known = {(i.customer_id, i.customer_sku) for i in master.customer_items}
    new_items = tuple(i for i in items if (i.customer_id, i.customer_sku) not in known)
    if new_items:
        master = replace(master, customer_items=master.customer_items + new_items)
    return memories, master


def truth_extraction(sample: Sample) -> Extraction:
    """The document as an agent validates it: its ground truth in the extraction's shape."""
    truth = sample.truth
    fields: dict[str, ExtractedField | None] = {}
    for name in HEADER_FIELDS:
        entry = truth["fields"].get(name)
        if entry is None or entry.get("value") is None:
            fields[name] = ExtractedField(value=None, confidence=1.0, method="agent")
            continue
        bbox = entry.get("bbox")
        fields[name] = ExtractedField(
            value=str(entry["value"]),
            confidence=1.0,
            page=entry.get("page"),
            bbox=(bbox[0], bbox[1], bbox[2], bbox[3]) if bbox else None,
            raw=entry.get("raw"),
            method="agent",
        )
    lines = [
        ExtractedLine.model_validate(
            {
                **{key: _text(line.get(key)) for key in _LINE_KEYS},
                "confidence": 1.0,
            }
        )
        for line in truth.get("lines", [])
    ]
    return Extraction(
        source=sample.meta.id,
        document_type=truth["document_type"],
        fields=fields,
        lines=lines,
        customer_id=truth.get("customer_id"),
        decision=Decision(status="auto_approved"),
        model_version="agent",
    )


_LINE_KEYS = ("sku", "product_sku", "description", "quantity", "unit", "unit_price", "line_total")


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _count(counts: StepCounts, extraction: Extraction, sample: Sample) -> None:
    correct = document_correct(extraction, sample.truth)
    counts.documents += 1
    counts.correct += correct
    if extraction.decision.status == "auto_approved":
        counts.auto_approved += 1
        counts.silent_errors += not correct
    for name in HEADER_FIELDS:
        found = extraction.fields.get(name)
        if found is not None and found.method == "layout_memory":
            counts.memory_fields += 1
            counts.memory_fields_right += field_correct(name, extraction, sample.truth)


def learning_table(report: LearningReport) -> Table:
    """Touchless and silent errors after 0, 1, 2 and 5 validated documents of the layout."""
    table = Table(
        title=(
            f"ordino eval --learning — {len(report.series)} layouts never seen in training, "
            f"variant {report.variant}, model {report.model_version}"
        )
    )
    for column in (
        "validated before",
        "documents",
        "touchless",
        "silent errors",
        "exact match",
        "memory fields",
        "memory precision",
    ):
        table.add_column(column, justify="right")
    for k, counts in report.steps.items():
        data = counts.to_json()
        precision = data["memory_field_precision"]
        table.add_row(
            str(k),
            str(data["documents"]),
            f"{data['touchless_rate']:.1%}",
            str(data["silent_errors"]),
            f"{data['document_exact_match']:.1%}",
            str(data["memory_fields"]),
            "–" if precision is None else f"{precision:.1%}",
        )
    return table


def learning_eval_command(
    *,
    data_dir: Path,
    model_dir: Path | None,
    variant: str = "pdf",
    seed: int = LEARNING_SEED,
    json_file: Path | None = None,
) -> LearningReport:
    """What `ordino eval --learning` runs: the harness on the data directory, printed."""
    from rich.console import Console
    from rich.progress import Progress as Bar

    from extraction.model import model_for

    console = Console()
    model = model_for(model_dir, data_dir / "models")
    with Bar(console=console) as bar:
        task = bar.add_task("layout series", total=None)
        report = run_learning_eval(
            data_dir / "learning-eval",
            model=model,
            seed=seed,
            variant=variant,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    console.print(learning_table(report))
    if json_file is not None:
        json_file.write_text(json.dumps(report.to_json(), indent=2), encoding="utf-8")
        console.print(f"report written to {json_file}")
    return report


def main(argv: Sequence[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="ordino eval --learning")
    parser.add_argument("--data-dir", type=Path, default=Path("data"))
    parser.add_argument("--model-dir", type=Path, default=None)
    parser.add_argument("--variant", default="pdf")
    parser.add_argument("--seed", type=int, default=LEARNING_SEED)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    learning_eval_command(
        data_dir=args.data_dir,
        model_dir=args.model_dir,
        variant=args.variant,
        seed=args.seed,
        json_file=args.json,
    )


if __name__ == "__main__":
    main()
