"""Readers behind one protocol, registered explicitly; the best-scoring reader reads a type."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from extraction.pages import ReadResult
from extraction.reading.limits import ReadLimits


@runtime_checkable
class DocumentReader(Protocol):
    """Turns the bytes of one kind of document into pages of words with boxes."""

    def score(self, media_type: str) -> int | None:
        """How well this reader handles `media_type` (higher wins); None when it cannot."""
        ...

    def read(self, data: bytes, limits: ReadLimits) -> ReadResult:
        """Raises a ReadError subclass when the document cannot be read."""
        ...


def best_reader(readers: tuple[DocumentReader, ...], media_type: str) -> DocumentReader | None:
    scored = [
        (score, i) for i, r in enumerate(readers) if (score := r.score(media_type)) is not None
    ]
    if not scored:
        return None
    _, index = max(scored, key=lambda pair: (pair[0], -pair[1]))  # first registered wins ties
    return readers[index]
