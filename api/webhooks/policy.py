"""When to try a failed delivery again: exponential backoff, for a day, then the dead letters."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetryPolicy:
    first_delay: timedelta = timedelta(seconds=30)
    factor: float = 2.0
    max_delay: timedelta = timedelta(hours=4)
    lifetime: timedelta = timedelta(hours=24)
    """From the delivery's creation to its last attempt; a failure after that is dead-lettered."""
    jitter: float = 0.1
    """± this fraction of each delay, so that receivers coming back are not hit all at once."""
    lease: timedelta = timedelta(seconds=60)
    """How long a worker owns an attempt; longer than the HTTP client's timeout."""

    def delay_after(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failed attempt (1, 2, …)."""
        base = self.first_delay.total_seconds() * self.factor ** max(attempts - 1, 0)
        capped = min(base, self.max_delay.total_seconds())
        spread = capped * self.jitter
        return timedelta(seconds=capped + random.uniform(-spread, spread))

    def next_attempt(self, *, attempts: int, now: datetime, deadline: datetime) -> datetime | None:
        """The next attempt's time, clamped to the deadline; None once the deadline has passed."""
        if now >= deadline:
            return None
        return min(now + self.delay_after(attempts), deadline)


DEFAULT_POLICY = RetryPolicy()
