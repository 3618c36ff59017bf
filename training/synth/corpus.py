"""Generates corpora of synthetic documents with their truth, and the split they belong to."""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from models.errors import ValidationFailedError
from training.synth.content import OrderContent, make_order, reference_distractor
from training.synth.families import FAMILY_SPECS, HELD_OUT, SPECS_BY_NAME, FamilySpec
from training.synth.layout import TemplateChoices, choose_template
from training.synth.mail import render_mail, write_mail
from training.synth.masterdata_csv import write_world
from training.synth.nonorders import make_document_content, render_document_pdf
from training.synth.raster import fax_tiff, scan_image
from training.synth.truth import build_truth, page_fractions, write_truth
from training.synth.world import Company, World, build_world

VARIANTS: tuple[str, ...] = ("pdf", "scan", "fax", "mail")
DEFAULT_VARIANT_WEIGHTS = {"pdf": 0.55, "scan": 0.2, "fax": 0.1, "mail": 0.15}
VAL_RATE = 0.15
NON_ORDER_WEIGHT = 0.4
SPLITS = ("train", "val", "test")


class SynthesisError(ValidationFailedError):
    title = "Cannot generate synthetic documents"


@dataclass(frozen=True)
class SampleMeta:
    id: str
    family: str
    variant: str
    language: str
    document_type: str
    path: Path
    truth_path: Path
    split: str

    def to_json(self) -> dict[str, str]:
        data = asdict(self)
        data["path"] = self.path.name
        data["truth_path"] = self.truth_path.name
        return data


def split_of(family: str, seed: int, index: int) -> str:
    """Held-out families are the test split; of the others a deterministic ~15% is val."""
    if family in HELD_OUT:
        return "test"
    return "val" if random.Random(f"split:{seed}:{index}").random() < VAL_RATE else "train"


def _check_families(names: Iterable[str]) -> list[FamilySpec]:
    specs = []
    for name in names:
        if name not in SPECS_BY_NAME:
            raise SynthesisError(
                f"Unknown layout family {name!r}; choose one of training.synth.FAMILIES.",
                family=name,
            )
        specs.append(SPECS_BY_NAME[name])
    return specs


def _check_variants(variants: Sequence[str]) -> None:
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown or not variants:
        raise SynthesisError(f"Unknown or no variants {unknown!r}; use some of {VARIANTS}.")


def generate_corpus(
    out_dir: Path,
    *,
    seed: int = 0,
    count: int = 500,
    families: Iterable[str] | None = None,
    variants: Sequence[str] = VARIANTS,
    variant_weights: Sequence[float] | None = None,
    split: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    reference_distractors: float = 0.0,
) -> list[SampleMeta]:
    """`count` documents (and their truth) in `out_dir`, plus `corpus.jsonl` and the master data.

    Sample `i` of a seed is always the same document, so a corpus is reproducible byte for
    byte; with `split` only documents of that split are kept (test = the held-out families).
    `reference_distractors`: the share of the orders that also print a GLN, project or
    contract number beside their PO number (the documents are otherwise those without it).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _check_variants(variants)
    if split is not None and split not in SPLITS:
        raise SynthesisError(f"Unknown split {split!r}; use one of {SPLITS}.")
    specs = _check_families(families if families is not None else (s.name for s in FAMILY_SPECS))
    if split == "test":
        specs = [s for s in specs if s.name in HELD_OUT]
    elif split in ("train", "val"):
        specs = [s for s in specs if s.name not in HELD_OUT]
    if not specs:
        raise SynthesisError(f"No layout family of the split {split!r} among those asked for.")
    weights = (
        list(variant_weights)
        if variant_weights is not None
        else [DEFAULT_VARIANT_WEIGHTS[v] if tuple(variants) == VARIANTS else 1.0 for v in variants]
    )
    if len(weights) != len(variants):
        raise SynthesisError("variant_weights must have one weight per variant.")
    family_weights = [
        1.0 if s.document_type == "purchase_order" else NON_ORDER_WEIGHT for s in specs
    ]
    world = build_world(seed)
    write_world(out_dir, world)
    metas: list[SampleMeta] = []
    index = 0
    while len(metas) < count:
        rng = random.Random(f"sample:{seed}:{index}")
        spec = rng.choices(specs, weights=family_weights)[0]
        variant = rng.choices(list(variants), weights=weights)[0]
        sample_split = split_of(spec.name, seed, index)
        if split is None or sample_split == split:
            metas.append(
                generate_sample(
                    out_dir,
                    world=world,
                    spec=spec,
                    variant=variant,
                    sample_id=f"s{seed}-{index:05d}",
                    split=sample_split,
                    rng=rng,
                    reference_distractors=reference_distractors,
                )
            )
            if progress is not None:
                progress(len(metas), count)
        index += 1
        if index > count * 50 + 1000:
            raise SynthesisError(f"Could not find {count} documents of split {split!r}.")
    _write_manifest(out_dir, metas)
    return metas


def generate_layout_series(
    out_dir: Path, *, family: str, customer_id: str, count: int, seed: int, variant: str = "pdf"
) -> list[SampleMeta]:
    """`count` orders of one family from one catalogue customer: one layout, changing values."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (spec,) = _check_families([family])
    _check_variants([variant])
    world = build_world(seed)
    customer = next((c for c in world.customers if c.customer_id == customer_id), None)
    if customer is None:
        raise SynthesisError(
            f"No customer {customer_id!r} in the master data of seed {seed}; "
            f"see customers.csv from write_master_data.",
            customer_id=customer_id,
        )
    write_world(out_dir, world)
    split = "test" if family in HELD_OUT else "train"
    metas = [
        generate_sample(
            out_dir,
            world=world,
            spec=spec,
            variant=variant,
            sample_id=f"series-{family}-{customer_id}-{seed}-{i:03d}",
            split=split,
            rng=random.Random(f"series:{seed}:{family}:{customer_id}:{i}"),
            customer=customer,
        )
        for i in range(count)
    ]
    _write_manifest(out_dir, metas)
    return metas


def _write_manifest(out_dir: Path, metas: list[SampleMeta]) -> None:
    lines = [json.dumps(m.to_json(), ensure_ascii=False) for m in metas]
    (out_dir / "corpus.jsonl").write_text(
        "\n".join(lines) + ("\n" if lines else ""), encoding="utf-8"
    )


def generate_sample(
    out_dir: Path,
    *,
    world: World,
    spec: FamilySpec,
    variant: str,
    sample_id: str,
    split: str,
    rng: random.Random,
    customer: Company | None = None,
    reference_distractors: float = 0.0,
) -> SampleMeta:
    """One document of `spec` in `variant`, written to `out_dir` with its truth."""
    is_order = spec.document_type in ("purchase_order", "order_change")
    content = (
        make_order(rng, world, spec, customer)
        if is_order
        else make_document_content(rng, world, spec, customer)
    )
    # its own random stream: the document is otherwise the one without it
    stream = random.Random(f"distractor:{sample_id}")
    if is_order and stream.random() < reference_distractors:
        distractor = reference_distractor(stream, spec.language)
        content = dataclasses.replace(content, reference_distractor=distractor)
    if variant == "mail" and content.sender_email is None:
        content = dataclasses.replace(content, sender_email=content.customer.contact_email)
    template = choose_template(spec, content.customer.customer_id or content.customer.name)
    truth_path = out_dir / f"{sample_id}.truth.json"
    if variant == "mail":
        mail = render_mail(content, template, rng)
        path = write_mail(out_dir, sample_id, content, mail, with_html=rng.random() < 0.3)
        truth = build_truth(
            sample_id=sample_id,
            split=split,
            variant=variant,
            content=content,
            spots={},
            geometry=None,
            spans=mail.spans,
        )
    else:
        path, truth = _paged_sample(out_dir, sample_id, split, variant, content, template, rng)
    write_truth(truth_path, truth)
    return SampleMeta(
        id=sample_id,
        family=spec.name,
        variant=variant,
        language=spec.language,
        document_type=spec.document_type,
        path=path,
        truth_path=truth_path,
        split=split,
    )


def _paged_sample(
    out_dir: Path,
    sample_id: str,
    split: str,
    variant: str,
    content: OrderContent,
    template: TemplateChoices,
    rng: random.Random,
) -> tuple[Path, dict[str, object]]:
    rendered = render_document_pdf(content, template)
    spots = rendered.recorder.spots
    if variant == "pdf":
        path = out_dir / f"{sample_id}.pdf"
        path.write_bytes(rendered.pdf)
        geometry = page_fractions(rendered.width, rendered.height)
    elif variant == "scan":
        path, geometry = scan_image(rendered.pdf, out_dir / sample_id, rng)
    else:
        sent = content.mail_date.strftime("%d.%m.%Y %H:%M")
        header = f"{sent}   {content.phone}   {content.customer.name}"
        path, geometry = fax_tiff(rendered.pdf, out_dir / sample_id, rng, header=header)
    truth = build_truth(
        sample_id=sample_id,
        split=split,
        variant=variant,
        content=content,
        spots=spots,
        geometry=geometry,
        carried_rows=rendered.carried_rows,
    )
    return path, truth
