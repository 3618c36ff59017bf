"""Auto-approval thresholds are only as permissive as the validation split can vouch for."""

from __future__ import annotations

from training.train import silent_error_upper_bound


def test_a_few_error_free_approvals_cannot_vouch_for_half_a_percent():
    assert silent_error_upper_bound(0, 4) > 0.005
    assert silent_error_upper_bound(0, 150) > 0.005


def test_hundreds_of_error_free_approvals_can():
    assert silent_error_upper_bound(0, 460) <= 0.005
    assert silent_error_upper_bound(0, 440) > 0.005


def test_a_higher_confidence_needs_more_approvals():
    assert silent_error_upper_bound(0, 460, confidence=0.95) > 0.005
    assert silent_error_upper_bound(0, 600, confidence=0.95) <= 0.005


def test_any_silent_error_raises_the_bound_above_the_observed_rate():
    assert silent_error_upper_bound(1, 1000) > 0.001
    assert silent_error_upper_bound(5, 8) > 5 / 8
