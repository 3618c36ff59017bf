"""Exponential backoff with jitter, for sources that retry after an error."""

from __future__ import annotations

import random


class Backoff:
    def __init__(self, *, initial: float = 1.0, maximum: float = 60.0) -> None:
        self.initial = initial
        self.maximum = maximum
        self.current = initial

    def next_delay(self) -> float:
        """The next pause: doubled each time up to `maximum`, ±20 % so pollers do not align."""
        delay = self.current * random.uniform(0.8, 1.2)
        self.current = min(self.current * 2, self.maximum)
        return delay

    def reset(self) -> None:
        self.current = self.initial
