"""Corpora for training and evaluation: generated documents, read once through the real reading
path and cached as JSON beside them (keyed by the document's sha256), with their truth.

OCR costs one to two seconds a page, so every corpus reads its documents once, in parallel, and
training and evaluation reuse the cached pages.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from extraction import reading
from extraction.extractor import DocumentHints
from extraction.masterdata import MasterData
from extraction.pages import ReadResult, pages_from_json, pages_to_json
from extraction.reading import ReadError, read_document
from models.masterdata_io import master_data_from_dir
from training import synth
from training.synth import (
    FAMILIES,
    SELLER_NAME,
    SELLER_VAT,
    SampleMeta,
    generate_corpus,
    load_truth,
)

TEST_FAMILIES: tuple[str, ...] = tuple(f for f in FAMILIES if f in synth.TEST_FAMILIES)
"""The held-out layout families, in a stable order."""

READ_CACHE = "reads"
DEFAULT_SEED, DEFAULT_COUNT, DEFAULT_VALIDATION_COUNT = 7, 450, 700
"""`ordino train`'s corpus: the periodic retrain reuses the same cached documents."""
VARIANT_WEIGHTS_TRAIN = {"pdf": 0.7, "mail": 0.2, "scan": 0.06, "fax": 0.04}
"""Scans and faxes are OCR'd (1–2 s a page): a modest share keeps `ordino train` short."""
VARIANT_WEIGHTS_EVAL = {"pdf": 0.5, "mail": 0.2, "scan": 0.15, "fax": 0.15}
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Sample:
    meta: SampleMeta
    read: ReadResult
    truth: dict[str, Any]
    master: MasterData
    """The master data of the world the document was generated in."""

    @property
    def hints(self) -> DocumentHints:
        mail_date = self.truth.get("mail_date")
        return DocumentHints(
            sender_email=self.truth.get("sender_email"),
            mail_date=datetime.fromisoformat(mail_date) if mail_date else None,
        )


def split_families(*, validation_every: int = 4) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Training families → (fit families, validation families); the test families stay out.

    Validation uses whole families the scorers never saw, so calibration and thresholds are
    measured on unseen layouts, as the test split is.
    """
    trainable = [f for f in FAMILIES if f not in synth.TEST_FAMILIES]
    validation = tuple(
        f for i, f in enumerate(trainable) if i % validation_every == validation_every - 1
    )
    fit = tuple(f for f in trainable if f not in validation)
    return fit, validation


def corpus_master_data(corpus_dir: Path) -> MasterData:
    """The master data a generated corpus was written with (its CSV files)."""
    return master_data_from_dir(
        corpus_dir, seller_names=(SELLER_NAME,), seller_vat_ids=(SELLER_VAT,)
    )


def generate(
    corpus_dir: Path,
    *,
    seed: int,
    count: int,
    families: Sequence[str],
    split: str,
    variant_weights: dict[str, float],
    progress: Progress | None = None,
    reference_distractors: float = 0.0,
) -> list[SampleMeta]:
    """Generate (or reuse) a corpus; a finished corpus is recognised by its manifest, made by
    the same generator code."""
    manifest = corpus_dir / "corpus.json"
    key = {
        "generator": generator_version(),
        "seed": seed,
        "count": count,
        "families": list(families),
        "split": split,
        "variant_weights": variant_weights,
        "reference_distractors": reference_distractors,
    }
    if manifest.exists():
        stored = json.loads(manifest.read_text(encoding="utf-8"))
        if stored.get("key") == key:
            return [meta_from_json(m) for m in stored["samples"]]
    corpus_dir.mkdir(parents=True, exist_ok=True)
    metas = generate_corpus(
        corpus_dir,
        seed=seed,
        count=count,
        families=list(families),
        variants=tuple(variant_weights),
        variant_weights=list(variant_weights.values()),
        split=split,
        progress=progress,
        reference_distractors=reference_distractors,
    )
    manifest.write_text(
        json.dumps({"key": key, "samples": [_meta_json(m) for m in metas]}), encoding="utf-8"
    )
    return list(metas)


DISTRACTOR_SHARE_TRAIN = 0.3
"""Share of the training and validation orders printing a GLN, project or contract number
beside their PO number, so that the scorers learn such a number is not the order's and the
thresholds are chosen on documents that print one."""


def training_corpus(
    root: Path,
    *,
    seed: int = DEFAULT_SEED,
    count: int = DEFAULT_COUNT,
    validation_count: int = DEFAULT_VALIDATION_COUNT,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[list[Sample], list[Sample]]:
    """The fit and validation samples of `ordino train`, generated and read once under
    `<root>/corpus` (both cached): fit families and validation families never overlap."""
    fit_families, val_families = split_families()
    corpus = root / "corpus"

    def step(what: str) -> Progress | None:
        return (lambda done, total: progress(what, done, total)) if progress else None

    fit_meta = generate(
        corpus / f"train-{seed}-{count}",
        seed=seed,
        count=count,
        families=fit_families,
        split="train",
        variant_weights=VARIANT_WEIGHTS_TRAIN,
        progress=step("generating training documents"),
        reference_distractors=DISTRACTOR_SHARE_TRAIN,
    )
    val_meta = generate(
        corpus / f"validation-{seed}-{validation_count}",
        seed=seed + 1,
        count=validation_count,
        families=val_families,
        split="val",
        variant_weights=VARIANT_WEIGHTS_TRAIN,
        progress=step("generating validation documents"),
        reference_distractors=DISTRACTOR_SHARE_TRAIN,
    )
    read_step = step("reading documents (cached)")
    cache = corpus / READ_CACHE
    return (
        load_samples(fit_meta, cache_dir=cache, progress=read_step),
        load_samples(val_meta, cache_dir=cache, progress=read_step),
    )


def evaluation_corpus(
    root: Path,
    *,
    split: str,
    seed: int,
    count: int,
    progress: Callable[[str, int, int], None] | None = None,
    reference_distractors: bool = False,
) -> list[Sample]:
    """`ordino eval`'s documents (test: the held-out families; val: the validation ones),
    generated and read once under `<root>/corpus`; promotion decisions evaluate on the same.
    `reference_distractors`: the same documents with a GLN, project or contract number printed
    beside each order's PO number."""
    families = {"test": TEST_FAMILIES, "val": split_families()[1]}.get(split)
    if families is None:
        raise ValueError(f"unknown split {split!r}; use test or val")
    corpus = root / "corpus"
    name = f"{split}-{seed}-{count}" + ("-distractors" if reference_distractors else "")
    metas = generate(
        corpus / name,
        seed=seed,
        count=count,
        families=families,
        split=split,
        variant_weights=VARIANT_WEIGHTS_EVAL,
        progress=(lambda d, t: progress("generating", d, t)) if progress else None,
        reference_distractors=1.0 if reference_distractors else 0.0,
    )
    reading = (lambda d, t: progress("reading documents (cached)", d, t)) if progress else None
    return load_samples(metas, cache_dir=corpus / READ_CACHE, progress=reading)


def _meta_json(meta: SampleMeta) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, Path) else v for k, v in asdict(meta).items()}


def stored_metas(corpus_dir: Path) -> list[SampleMeta]:
    """The samples of a corpus generated before (its manifest)."""
    stored = json.loads((corpus_dir / "corpus.json").read_text(encoding="utf-8"))
    return [meta_from_json(m) for m in stored["samples"]]


def meta_from_json(data: dict[str, Any]) -> SampleMeta:
    return SampleMeta(
        **{**data, "path": Path(data["path"]), "truth_path": Path(data["truth_path"])}
    )


def load_samples(
    metas: Sequence[SampleMeta],
    *,
    cache_dir: Path,
    workers: int = 2,
    progress: Progress | None = None,
) -> list[Sample]:
    """Every document read (from the cache when it was read before) with its truth."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    paths = [Path(m.path) for m in metas]
    reads: list[ReadResult | None] = [None] * len(metas)
    todo: list[int] = []
    for i, path in enumerate(paths):
        cached = _cache_path(cache_dir, path)
        if cached.exists():
            reads[i] = pages_from_json(json.loads(cached.read_text(encoding="utf-8")))
        elif not cached.with_suffix(".refused").exists():
            todo.append(i)
    done = len(metas) - len(todo)
    if progress:
        progress(done, len(metas))
    if todo:
        with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
            jobs = [(str(paths[i]), str(cache_dir)) for i in todo]
            for i, result in zip(todo, pool.map(_read_and_cache, jobs), strict=True):
                reads[i] = pages_from_json(result) if result is not None else None
                done += 1
                if progress:
                    progress(done, len(metas))
    masters: dict[Path, MasterData] = {}
    samples = []
    for meta, read in zip(metas, reads, strict=True):
        if read is None:
            continue
        folder = Path(meta.path).parent
        if folder not in masters:
            masters[folder] = corpus_master_data(folder)
        samples.append(
            Sample(
                meta=meta,
                read=read,
                truth=load_truth(Path(meta.truth_path)),
                master=masters[folder],
            )
        )
    return samples


def _cache_path(cache_dir: Path, document: Path) -> Path:
    digest = hashlib.sha256(document.read_bytes() + reader_version().encode()).hexdigest()
    return cache_dir / f"{digest}.json"


@lru_cache(maxsize=1)
def reader_version() -> str:
    """A digest of the reading code: a cached read is reused only by the reader that made it,
    so an evaluation after a reading change reads the documents again."""
    return _sources_digest(Path(reading.__file__).parent)


@lru_cache(maxsize=1)
def generator_version() -> str:
    """A digest of the generator code: a corpus made by another generator is made again."""
    return _sources_digest(Path(synth.__file__).parent)


def _sources_digest(package: Path) -> str:
    digest = hashlib.sha256()
    for source in sorted(package.glob("*.py")):
        digest.update(source.name.encode() + source.read_bytes())
    return digest.hexdigest()[:16]


def _read_and_cache(job: tuple[str, str]) -> dict[str, object] | None:
    """Read one document into the cache; None when the reader refuses it (the sample is
    dropped, as the pipeline would quarantine it)."""
    document, cache_dir = Path(job[0]), Path(job[1])
    data = document.read_bytes()
    target = _cache_path(Path(cache_dir), document)
    try:
        result = pages_to_json(read_document(data, filename=document.name))
    except ReadError as exc:
        target.with_suffix(".refused").write_text(str(exc), encoding="utf-8")
        return None
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(result), encoding="utf-8")
    tmp.replace(target)
    return result
