"""Writing a model artifact: `<out>/<version>/{model.joblib, manifest.json, metrics.json,
thresholds.json}`, written into a temporary directory and renamed into place, then marked
current by replacing the `current` pointer atomically."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import joblib

from extraction.model import (
    CURRENT_POINTER,
    FORMAT_VERSION,
    MANIFEST_FILE,
    MODEL_FILE,
    ExtractorModel,
    library_versions,
)


def write_artifact(
    model: ExtractorModel,
    *,
    out_dir: Path,
    metrics: dict[str, Any],
    command: str,
    mark_current: bool = True,
) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / model.version
    staging = Path(tempfile.mkdtemp(prefix=f".{model.version}.", dir=out_dir))
    try:
        joblib.dump(model, staging / MODEL_FILE, compress=3)
        manifest = {
            "format_version": FORMAT_VERSION,
            "version": model.version,
            "library_versions": library_versions(),
            "command": command,
            "features": len(model.feature_names),
        }
        _write_json(staging / MANIFEST_FILE, manifest)
        _write_json(staging / "metrics.json", metrics)
        _write_json(staging / "thresholds.json", model.thresholds.to_json())
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if mark_current:
        pointer_tmp = out_dir / f".{CURRENT_POINTER}.tmp"
        pointer_tmp.write_text(model.version + "\n", encoding="utf-8")
        os.replace(pointer_tmp, out_dir / CURRENT_POINTER)
    return target


def _write_json(path: Path, data: Any) -> None:
    path.write_text(
        json.dumps(data, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8"
    )
