"""Extraction time after reading, per page, on one core: the trained model and the rules
baseline on the same cached pages, median with min/max, and their ratio.

    uv run python bench/extraction.py [--corpus DIR] [--repeat 3]

DIR is a generated corpus (default: the latest test corpus under $ORDINO_DATA_DIR/corpus); its
pages are read from the reading cache, so OCR time is not part of the measurement.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from statistics import median

from extraction.extractor import extract_document
from extraction.model import ExtractorModel, load_model
from training.dataset import Sample, load_samples, stored_metas


def per_page_ms(samples: list[Sample], model: ExtractorModel | None, repeat: int) -> list[float]:
    timings = []
    for sample in samples:
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            extract_document(
                sample.read,
                source=sample.meta.id,
                master=sample.master,
                model=model,
                hints=sample.hints,
            )
            best = min(best, time.perf_counter() - start)
        timings.append(1000 * best / max(len(sample.read.pages), 1))
    return timings


def main() -> None:
    data_dir = Path(os.environ.get("ORDINO_DATA_DIR", "./data"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=int, default=100)
    args = parser.parse_args()
    corpus = args.corpus or max(
        (data_dir / "corpus").glob("test-*"), key=lambda p: p.stat().st_mtime
    )
    metas = stored_metas(corpus)[: args.limit]
    samples = load_samples(metas, cache_dir=corpus.parent / "reads")
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    model = load_model(data_dir / "models")
    warm = samples[:3]
    per_page_ms(warm, model, 1)
    per_page_ms(warm, None, 1)
    results = {
        "model": per_page_ms(samples, model, args.repeat),
        "rules": per_page_ms(samples, None, args.repeat),
    }
    print(f"{len(samples)} documents from {corpus} (one core, best of {args.repeat})")
    for name, values in results.items():
        print(
            f"{name:>6}: median {median(values):.1f} ms/page  min {min(values):.1f}  "
            f"max {max(values):.1f}"
        )
    print(f"model / rules median ratio: {median(results['model']) / median(results['rules']):.2f}")


if __name__ == "__main__":
    main()
