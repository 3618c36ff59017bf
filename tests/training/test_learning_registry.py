"""`ordino model`: versions listed, promotion gated on the test split, rollback to the model
that was live before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from training.registry_commands import (
    ModelNotFoundError,
    current_version,
    model_app,
    previous_version,
    promotion_gate,
    set_current,
)


def _artifact(root: Path, version: str) -> None:
    (root / version).mkdir(parents=True)
    (root / version / "manifest.json").write_text(
        json.dumps({"version": version, "command": "ordino train --quick"}), encoding="utf-8"
    )


def _figures(touchless: float, exact: float, silent: float) -> dict[str, float]:
    return {"touchless_rate": touchless, "document_exact_match": exact, "silent_error_rate": silent}


def test_candidate_worse_on_silent_errors_is_refused_even_with_more_touchless() -> None:
    ok, reasons = promotion_gate(_figures(0.9, 0.9, 0.02), _figures(0.8, 0.9, 0.01))
    assert not ok and "silent_error_rate" in reasons[0]


def test_candidate_as_good_on_every_metric_is_promoted() -> None:
    assert promotion_gate(_figures(0.8, 0.9, 0.01), _figures(0.8, 0.9, 0.01))[0]


def test_rollback_returns_to_the_model_live_before(tmp_path: Path) -> None:
    for version in ("20261201T070000Z", "20261201T080000Z", "20261201T090000Z"):
        _artifact(tmp_path, version)
    set_current(tmp_path, "20261201T070000Z", action="promote", details={})
    set_current(tmp_path, "20261201T090000Z", action="promote", details={})
    assert previous_version(tmp_path) == "20261201T070000Z"
    result = CliRunner().invoke(model_app, ["rollback", "--models-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert current_version(tmp_path) == "20261201T070000Z"


def test_unknown_version_cannot_be_made_current(tmp_path: Path) -> None:
    _artifact(tmp_path, "20261201T070000Z")
    with pytest.raises(ModelNotFoundError):
        set_current(tmp_path, "20991231T000000Z", action="promote", details={})


def test_list_marks_the_current_model(tmp_path: Path) -> None:
    for version in ("20261201T070000Z", "20261201T080000Z"):
        _artifact(tmp_path, version)
    set_current(tmp_path, "20261201T080000Z", action="promote", details={})
    result = CliRunner().invoke(model_app, ["list", "--models-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    marked = [line for line in result.output.splitlines() if "*" in line]
    assert len(marked) == 1 and "20261201T080000Z" in marked[0]
