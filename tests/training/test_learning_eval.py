"""`ordino eval --learning` on one held-out layout: validated documents feed the memory, which
then decides fields of the next documents without a silent error."""

from __future__ import annotations

from pathlib import Path

import pytest

from training.learning_eval import CHECKPOINTS, run_learning_eval

pytestmark = pytest.mark.slow


def test_validated_documents_teach_the_memory_without_silent_errors(tmp_path: Path) -> None:
    report = run_learning_eval(
        tmp_path,
        model=None,
        customers_per_family=1,
        measured_documents=1,
        families=["en_title_number"],
    )
    steps = {k: report.steps[k].to_json() for k in CHECKPOINTS}
    assert len(report.series) == 1
    assert steps[0]["memory_fields"] == 0
    assert steps[1]["memory_fields"] > 0
    assert steps[1]["memory_field_precision"] == 1.0
    assert all(step["silent_errors"] == 0 for step in steps.values())
    assert steps[5]["document_exact_match"] >= steps[0]["document_exact_match"]
