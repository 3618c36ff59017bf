"""The trained extraction model as loaded from its artifact directory.

An artifact is a directory `<models>/<version>/` holding `model.joblib` and `manifest.json`
(format version, library versions, metrics); `<models>/current` names the promoted version.
Only `training/` writes artifacts. Loading never raises for a missing, corrupt or mismatched
artifact: it logs why and falls back to the default model shipped in `extraction/default_model/`
(laid out the same way), then to None (callers then run the rules).
"""

from __future__ import annotations

import json
import logging
import platform
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn

from extraction.calibration import Calibrator
from extraction.decision import Thresholds
from extraction.description_vocabulary import DescriptionVocabulary
from extraction.ocr_spelling import Spellings

log = logging.getLogger(__name__)

FORMAT_VERSION = 7
"""Raised whenever the inputs of a scorer or calibrator change: an older artifact is then ignored
with a warning instead of failing on the first document."""
MODEL_FILE = "model.joblib"
MANIFEST_FILE = "manifest.json"
CURRENT_POINTER = "current"
DEFAULT_MODEL_DIR = Path(__file__).parent / "default_model"


def library_versions() -> dict[str, str]:
    return {
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
    }


@dataclass
class ExtractorModel:
    version: str
    thresholds: Thresholds
    field_models: dict[str, Any]
    """Per field: a fitted classifier with predict_proba, or a float when training saw one class."""
    null_thresholds: dict[str, float]
    field_calibrators: dict[str, Calibrator] = field(default_factory=dict)
    line_calibrator: Calibrator = field(default_factory=Calibrator)
    document_classifier: Any | None = None
    """A text pipeline (TF-IDF → linear model) over the document's folded text."""
    feature_names: tuple[str, ...] = ()
    description_vocabulary: DescriptionVocabulary = field(default_factory=DescriptionVocabulary)
    """Printed description words → catalogue words, learnt from the training orders' lines."""
    description_spellings: Spellings = field(default_factory=Spellings)
    """The words printed on the training orders' lines, to put OCR's misreadings right."""

    def probabilities(self, field_name: str, features: np.ndarray) -> np.ndarray:
        model = self.field_models.get(field_name)
        if model is None:
            return np.zeros(features.shape[0])
        if isinstance(model, float):
            return np.full(features.shape[0], model)
        return np.asarray(model.predict_proba(features)[:, 1])

    def null_threshold(self, field_name: str) -> float:
        return self.null_thresholds.get(field_name, 0.5)


def load_model(model_dir: Path | None = None) -> ExtractorModel | None:
    """The promoted model under `model_dir`, else the repository's default model, else None."""
    for directory in (model_dir, DEFAULT_MODEL_DIR):
        if directory is not None and (model := load_current(directory)) is not None:
            return model
    return None


def model_for(chosen: Path | None, default_dir: Path | None) -> ExtractorModel | None:
    """The model at `chosen` when a user named one (see load_chosen_model), else what
    load_model finds under `default_dir`."""
    return load_chosen_model(chosen) if chosen is not None else load_model(default_dir)


def load_chosen_model(path: Path) -> ExtractorModel:
    """The model a user named: a models directory (its `current` one) or one artifact.
    Raises FileNotFoundError rather than fall back to another model unnoticed."""
    model = load_current(path) or load_artifact(path)
    if model is None:
        raise FileNotFoundError(
            f"no model in {path}: expected a models directory with a '{CURRENT_POINTER}' file "
            f"or a model artifact ({MANIFEST_FILE}, {MODEL_FILE})"
        )
    return model


def load_current(models_dir: Path) -> ExtractorModel | None:
    """The artifact `models_dir/current` names, or None."""
    pointer = models_dir / CURRENT_POINTER
    if not pointer.is_file():
        return None
    return load_artifact(models_dir / pointer.read_text(encoding="utf-8").strip())


def load_artifact(path: Path) -> ExtractorModel | None:
    manifest_path = path / MANIFEST_FILE
    if not manifest_path.is_file() or not (path / MODEL_FILE).is_file():
        return None
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("model manifest %s unreadable (%s); ignoring this model", manifest_path, exc)
        return None
    if manifest.get("format_version") != FORMAT_VERSION:
        log.warning(
            "model %s has format %s, this build reads %s; retrain with `ordino train`",
            path,
            manifest.get("format_version"),
            FORMAT_VERSION,
        )
        return None
    built_with = manifest.get("library_versions", {}).get("scikit-learn", "")
    if _minor(built_with) != _minor(sklearn.__version__):
        log.warning(
            "model %s was built with scikit-learn %s, this is %s; retrain with `ordino train`",
            path,
            built_with,
            sklearn.__version__,
        )
        return None
    try:
        model = joblib.load(path / MODEL_FILE)
    except Exception as exc:  # a truncated or foreign pickle must not stop extraction
        log.warning("model %s could not be loaded (%s); ignoring it", path, exc)
        return None
    if not isinstance(model, ExtractorModel):
        log.warning("model %s does not hold an extraction model; ignoring it", path)
        return None
    return model


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])
