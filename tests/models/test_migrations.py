"""The Alembic migrations build exactly the schema the tables declare, on both databases."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import models.all_tables  # noqa: F401
from models.db import make_engine
from ordino.migrations import upgrade_database


def _differences(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        upgrade_database(engine)
        upgrade_database(engine)  # a second run is a no-op
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, SQLModel.metadata))
    finally:
        engine.dispose()


def test_migrations_match_the_tables_on_sqlite(tmp_path: Path) -> None:
    assert _differences(f"sqlite:///{tmp_path / 'm.db'}") == []


def test_migrations_match_the_tables_on_postgres(empty_postgres_url: str) -> None:
    assert _differences(empty_postgres_url) == []
