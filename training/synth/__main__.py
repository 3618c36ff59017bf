"""Generate a synthetic corpus from the command line and report the generation speed.

uv run python -m training.synth OUT_DIR --count 500 --seed 0 --variants pdf,scan
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from training.synth.corpus import VARIANTS, generate_corpus


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m training.synth", description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--variants",
        default=",".join(VARIANTS),
        help="comma-separated, from " + ", ".join(VARIANTS),
    )
    parser.add_argument("--split", choices=("train", "val", "test"), default=None)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    metas = generate_corpus(
        args.out_dir,
        seed=args.seed,
        count=args.count,
        variants=tuple(args.variants.split(",")),
        split=args.split,
    )
    elapsed = time.perf_counter() - started
    by_variant = Counter(m.variant for m in metas)
    by_split = Counter(m.split for m in metas)
    print(
        f"{len(metas)} documents in {elapsed:.1f} s ({len(metas) / elapsed:.1f}/s) "
        f"-> {args.out_dir}"
    )
    print("variants:", dict(sorted(by_variant.items())), "splits:", dict(sorted(by_split.items())))


if __name__ == "__main__":
    main()
