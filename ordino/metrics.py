"""Prometheus metrics: stage durations; documents by state, read from the database at scrape."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.tables import Document

STAGE_SECONDS = Histogram(
    "ordino_stage_duration_seconds",
    "Time spent in each pipeline stage",
    ["stage", "outcome"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)
EXTRACTION_SECONDS = Histogram(
    "ordino_extraction_seconds",
    "Time spent extracting fields and lines once a document is read",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)


class DocumentStateCollector(Collector):
    """Counts documents by state straight from the database, so every process reports the truth."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily("ordino_documents", "Documents by state", labels=["state"])
        with Session(self.engine) as session:
            rows = session.exec(select(Document.state, func.count()).group_by(Document.state)).all()
        for state, count in rows:
            family.add_metric([state], count)
        yield family
