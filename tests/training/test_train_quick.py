"""A small train-and-extract run: the trained model beats the rules on layout families it never
saw, writes a loadable artifact, and its output is valid against the extraction schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from extraction.extractor import extract_document
from extraction.model import FORMAT_VERSION, load_chosen_model, load_model
from training.artifact import write_artifact
from training.dataset import TEST_FAMILIES, generate, load_samples, split_families
from training.evaluate import metrics, run_extractor
from training.train import train_model

SCHEMA_PATH = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "contracts" / "extraction.schema.json"
)
NO_OCR = {"pdf": 0.8, "mail": 0.2}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    fit_families, val_families = split_families()
    fit = generate(
        root / "fit", seed=3, count=80, families=fit_families, split="train", variant_weights=NO_OCR
    )
    val = generate(
        root / "val", seed=4, count=20, families=val_families, split="val", variant_weights=NO_OCR
    )
    test = generate(
        root / "test",
        seed=5,
        count=20,
        families=TEST_FAMILIES,
        split="test",
        variant_weights=NO_OCR,
    )
    cache = root / "reads"
    model, train_metrics = train_model(
        load_samples(fit, cache_dir=cache),
        load_samples(val, cache_dir=cache),
        seed=3,
        version="test-model",
    )
    return model, train_metrics, load_samples(test, cache_dir=cache), root


@pytest.mark.slow
def test_model_beats_rules_on_held_out_layout_families(trained):
    model, _, test, _ = trained
    learned = metrics(run_extractor(test, model))
    rules = metrics(run_extractor(test, None))
    assert learned["header_accuracy"] > rules["header_accuracy"]
    assert learned["header_accuracy"] > 0.8


@pytest.mark.slow
def test_artifact_is_written_atomically_and_loads_as_current(trained):
    model, train_metrics, _, root = trained
    models_dir = root / "models"
    path = write_artifact(model, out_dir=models_dir, metrics=train_metrics, command="test")
    assert (models_dir / "current").read_text().strip() == "test-model"
    assert json.loads((path / "manifest.json").read_text())["format_version"] == FORMAT_VERSION
    assert not [p for p in models_dir.iterdir() if p.name.startswith(".")]
    loaded = load_model(models_dir)
    assert loaded is not None and loaded.version == "test-model"
    assert loaded.thresholds.target_silent_error_rate == 0.005
    # a model named on the command line loads as a directory or as one artifact, or fails loudly
    assert load_chosen_model(models_dir).version == "test-model"
    assert load_chosen_model(path).version == "test-model"
    with pytest.raises(FileNotFoundError, match="no model in"):
        load_chosen_model(root / "fit")


@pytest.mark.slow
def test_mismatched_artifact_is_ignored_with_fallback(trained, tmp_path):
    model, train_metrics, _, _ = trained
    path = write_artifact(model, out_dir=tmp_path, metrics=train_metrics, command="test")
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["format_version"] = 999
    (path / "manifest.json").write_text(json.dumps(manifest))
    loaded = load_model(tmp_path)
    assert loaded is None or loaded.version != "test-model"


@pytest.mark.slow
def test_extraction_json_is_valid_against_the_contract(trained):
    if not SCHEMA_PATH.exists():
        pytest.skip(f"contract schema not found at {SCHEMA_PATH}")
    model, _, test, _ = trained
    schema = json.loads(SCHEMA_PATH.read_text())
    for sample in test[:8]:
        extraction = extract_document(
            sample.read,
            source=sample.meta.id,
            master=sample.master,
            model=model,
            hints=sample.hints,
        )
        jsonschema.validate(extraction.to_json(), schema)
        assert extraction.model_version == "test-model"
        assert all(f is None or f.method is not None for f in extraction.fields.values())
