"""Auto-approval thresholds are only as permissive as the validation split can vouch for."""

from __future__ import annotations

from extraction.result import HEADER_FIELDS
from training.thresholds import (
    THRESHOLD_FLOOR,
    ValidationOutcome,
    choose_thresholds,
    silent_error_upper_bound,
)

PO = HEADER_FIELDS.index("po_number")


def test_a_few_error_free_approvals_cannot_vouch_for_half_a_percent():
    assert silent_error_upper_bound(0, 4) > 0.005
    assert silent_error_upper_bound(0, 100) > 0.005


def test_enough_error_free_approvals_can():
    assert silent_error_upper_bound(0, 139) <= 0.005
    assert silent_error_upper_bound(0, 138) > 0.005


def test_a_higher_assurance_needs_more_approvals():
    assert silent_error_upper_bound(0, 200, confidence=0.9) > 0.005
    assert silent_error_upper_bound(0, 460, confidence=0.9) <= 0.005


def test_any_silent_error_raises_the_bound_above_the_observed_rate():
    assert silent_error_upper_bound(1, 1000) > 0.001
    assert silent_error_upper_bound(5, 8) > 5 / 8


def outcome(*, po: float, wrong: bool, reading: str = "pdf", blocked: bool = False):
    confidences = [0.99] * len(HEADER_FIELDS) + [0.99, 0.99]
    confidences[PO] = po
    wrong_parts = frozenset({"po_number"} if wrong else ())
    return ValidationOutcome(reading, blocked, wrong_parts, tuple(confidences))


def test_the_threshold_rises_just_above_the_wrong_values_and_no_further():
    right = [outcome(po=0.9 + i * 0.0005, wrong=False) for i in range(180)]
    wrong = [outcome(po=0.82, wrong=True), outcome(po=0.85, wrong=True)]
    thresholds, stats = choose_thresholds(right + wrong, target=0.005)
    approval = thresholds.approval("pdf")
    assert 0.85 < approval.fields["po_number"] <= 0.9
    assert approval.fields["total"] == THRESHOLD_FLOOR
    assert stats["validation_silent_errors"] == 0
    assert stats["validation_by_reading"]["pdf"]["approved"] == 180


def test_a_reading_whose_errors_look_confident_approves_nothing_and_spares_the_others():
    pdf = [outcome(po=0.95, wrong=False) for _ in range(200)]
    ocr = [outcome(po=0.99, wrong=i % 3 == 0, reading="ocr") for i in range(200)]
    thresholds, stats = choose_thresholds(pdf + ocr, target=0.005)
    assert stats["validation_by_reading"]["ocr"]["approved"] == 0
    assert stats["validation_by_reading"]["pdf"]["approved"] == 200
    assert thresholds.approval("ocr").fields["po_number"] == 1.0


def test_documents_blocked_by_checks_never_count_as_approved():
    blocked = [outcome(po=0.99, wrong=True, blocked=True) for _ in range(50)]
    right = [outcome(po=0.99, wrong=False) for _ in range(150)]
    _, stats = choose_thresholds(blocked + right, target=0.005)
    assert stats["validation_by_reading"]["pdf"] == {
        "documents": 200,
        "approved": 150,
        "silent_errors": 0,
        "blocked_by_checks": 50,
    }


def test_a_threshold_is_raised_for_its_own_fields_errors_not_another_fields():
    total = HEADER_FIELDS.index("total")
    right = []
    for i in range(200):
        confidences = [0.99] * len(HEADER_FIELDS) + [0.99, 0.99]
        confidences[total] = 0.85 if i < 20 else 0.99
        right.append(ValidationOutcome("pdf", False, frozenset(), tuple(confidences)))
    confidences = [0.99] * len(HEADER_FIELDS) + [0.99, 0.99]
    confidences[PO], confidences[total] = 0.9, 0.84
    wrong_po = ValidationOutcome("pdf", False, frozenset({"po_number"}), tuple(confidences))
    thresholds, stats = choose_thresholds([*right, wrong_po], target=0.005)
    approval = thresholds.approval("pdf")
    assert approval.fields["po_number"] > 0.9
    assert approval.fields["total"] == THRESHOLD_FLOOR
    assert stats["validation_by_reading"]["pdf"]["approved"] == 200


def test_no_threshold_falls_below_the_floor_even_without_validation_errors():
    right = [outcome(po=0.5 if i < 10 else 0.99, wrong=False) for i in range(200)]
    thresholds, stats = choose_thresholds(right, target=0.005)
    assert thresholds.approval("pdf").fields["po_number"] == THRESHOLD_FLOOR
    assert stats["validation_by_reading"]["pdf"]["approved"] == 190
