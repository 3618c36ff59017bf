"""Corpora are reproducible by seed, split by family, and listed in a manifest."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from extraction.reading import read_document
from training.synth import (
    FAMILIES,
    TEST_FAMILIES,
    SynthesisError,
    generate_corpus,
    generate_layout_series,
    load_truth,
)
from training.synth.__main__ import main


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    kwargs = {"seed": 5, "count": 12, "variants": ("pdf", "mail")}
    generate_corpus(tmp_path / "a", **kwargs)  # type: ignore[arg-type]
    generate_corpus(tmp_path / "b", **kwargs)  # type: ignore[arg-type]
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert first.keys() == second.keys()
    assert sum(name.endswith(".truth.json") for name in first) == 12
    assert first == second


def test_another_seed_gives_other_documents(tmp_path: Path) -> None:
    one = generate_corpus(tmp_path / "a", seed=1, count=4, variants=("pdf",))
    two = generate_corpus(tmp_path / "b", seed=2, count=4, variants=("pdf",))
    assert [m.truth_path.read_bytes() for m in one] != [m.truth_path.read_bytes() for m in two]


def test_held_out_families_are_the_test_split_and_never_train_or_val(tmp_path: Path) -> None:
    assert 6 <= len(TEST_FAMILIES) <= 8
    assert set(FAMILIES) > TEST_FAMILIES
    metas = generate_corpus(tmp_path, seed=3, count=150, variants=("mail",))
    splits = Counter(m.split for m in metas)
    for meta in metas:
        assert (meta.split == "test") == (meta.family in TEST_FAMILIES)
        assert load_truth(meta.truth_path)["split"] == meta.split
    trainable = splits["train"] + splits["val"]
    assert 0.05 < splits["val"] / trainable < 0.3


@pytest.mark.parametrize("split", ["train", "val", "test"])
def test_split_argument_generates_only_that_split(tmp_path: Path, split: str) -> None:
    metas = generate_corpus(tmp_path, seed=4, count=8, variants=("mail",), split=split)
    assert len(metas) == 8
    assert {m.split for m in metas} == {split}
    if split == "test":
        assert {m.family for m in metas} <= TEST_FAMILIES
    else:
        assert not {m.family for m in metas} & TEST_FAMILIES


def test_manifest_lists_every_sample_and_progress_counts_them(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    metas = generate_corpus(
        tmp_path,
        seed=6,
        count=5,
        variants=("pdf", "mail"),
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(i, 5) for i in range(1, 6)]
    rows = [json.loads(line) for line in (tmp_path / "corpus.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == [m.id for m in metas]
    for row, meta in zip(rows, metas, strict=True):
        assert set(row) == {
            "id",
            "family",
            "variant",
            "language",
            "document_type",
            "path",
            "truth_path",
            "split",
        }
        assert (tmp_path / row["path"]).exists() and (tmp_path / row["truth_path"]).exists()
        assert row["variant"] == meta.variant


def test_families_argument_restricts_the_layouts(tmp_path: Path) -> None:
    metas = generate_corpus(
        tmp_path, seed=7, count=6, families=["de_din5008", "fr_invoice"], variants=("pdf",)
    )
    assert {m.family for m in metas} <= {"de_din5008", "fr_invoice"}


def test_unknown_family_is_refused_with_the_name(tmp_path: Path) -> None:
    with pytest.raises(SynthesisError, match="no_such_family"):
        generate_corpus(tmp_path, count=1, families=["no_such_family"])


def test_layout_series_keeps_layout_and_customer_and_changes_values(tmp_path: Path) -> None:
    metas = generate_layout_series(
        tmp_path, family="de_sap_bestellung", customer_id="C0004", count=4, seed=0
    )
    truths = [load_truth(m.truth_path) for m in metas]
    assert {t["family"] for t in truths} == {"de_sap_bestellung"}
    assert {t["customer_id"] for t in truths} == {"C0004"}
    assert len({t["fields"]["po_number"]["value"] for t in truths}) == 4
    # the references print below the addresses, so an order with a delivery address has them lower
    date_boxes = {
        (t["fields"]["ship_to_name"] is not None, tuple(t["fields"]["order_date"]["bbox"]))
        for t in truths
    }
    assert len(date_boxes) == len({shipped for shipped, _ in date_boxes}), (
        "the same template prints the date in the same place"
    )


def test_layout_series_refuses_a_customer_not_in_the_master_data(tmp_path: Path) -> None:
    with pytest.raises(SynthesisError, match="C9999"):
        generate_layout_series(tmp_path, family="de_din5008", customer_id="C9999", count=1, seed=0)


def test_command_line_generates_a_corpus_and_reports_its_speed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main([str(tmp_path), "--count", "3", "--seed", "2", "--variants", "pdf,mail"])
    assert len(list(tmp_path.glob("*.truth.json"))) == 3
    assert "3 documents in" in capsys.readouterr().out


def test_a_stored_corpus_is_reused_only_when_the_same_generator_made_it(tmp_path: Path) -> None:
    from training.dataset import generate, generator_version

    kwargs = {
        "seed": 5,
        "count": 2,
        "families": sorted(TEST_FAMILIES)[:1],
        "split": "test",
        "variant_weights": {"pdf": 1.0},
    }
    generate(tmp_path, **kwargs)  # type: ignore[arg-type]
    manifest = tmp_path / "corpus.json"
    stored = json.loads(manifest.read_text())
    truth = Path(stored["samples"][0]["truth_path"])
    truth.write_text("{}")  # as if an earlier generator had written it
    generate(tmp_path, **kwargs)  # type: ignore[arg-type]
    assert truth.read_text() == "{}"  # same generator: reused as it is

    manifest.write_text(json.dumps({**stored, "key": {**stored["key"], "generator": "older"}}))
    generate(tmp_path, **kwargs)  # type: ignore[arg-type]
    assert json.loads(truth.read_text())["document_type"]
    assert json.loads(manifest.read_text())["key"]["generator"] == generator_version()


def test_a_distractor_corpus_prints_a_reference_number_beside_the_same_orders(
    tmp_path: Path,
) -> None:
    plain = generate_corpus(tmp_path / "plain", seed=5, count=4, variants=("pdf",))
    stressed = generate_corpus(
        tmp_path / "stressed", seed=5, count=4, variants=("pdf",), reference_distractors=1.0
    )
    for before, after in zip(plain, stressed, strict=True):
        old, new = load_truth(before.truth_path), load_truth(after.truth_path)
        assert (before.family, old["document_type"]) == (after.family, new["document_type"])
        if old["document_type"] != "purchase_order":
            continue
        assert {k: v and v["value"] for k, v in old["fields"].items()} == {
            k: v and v["value"] for k, v in new["fields"].items()
        }
        text = read_document(after.path.read_bytes(), filename=after.path.name).text
        assert any(label in text for label in ("GLN", "Proj", "Contract", "contrat", "Vertrag"))
