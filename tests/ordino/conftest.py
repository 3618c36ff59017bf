"""Fixtures for whole-product tests: a Runtime on SQLite or on PostgreSQL + Redis."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from models.auth import create_api_key
from models.db import session_scope
from models.masterdata_io import MASTER_FILES, import_master_csv
from ordino.migrations import upgrade_database
from ordino.runtime import Runtime
from ordino.settings import Settings
from tests.conftest import REDIS_URL, redis_available
from training.synth import write_master_data

MakeRuntime = Callable[..., Runtime]


def test_settings(data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "data_dir": data_dir,
        "sweep_interval_seconds": 1,
        "retry_backoff_seconds": 0.2,
        "stage_max_attempts": 3,
        "inprocess_worker": True,
        "log_format": "console",
    }
    values.update(overrides)
    return Settings(**values)


def load_demo_master_data(runtime: Runtime, folder: Path) -> None:
    paths = dict(zip(MASTER_FILES, write_master_data(folder, seed=5), strict=True))
    for kind, path in paths.items():
        with session_scope(runtime.engine) as session:
            import_master_csv(session, kind=kind, text=path.read_text(encoding="utf-8"))


def api_key(runtime: Runtime, scopes: tuple[str, ...] = ("read", "write", "admin")) -> str:
    with session_scope(runtime.engine) as session:
        return create_api_key(
            session, name=f"test-{uuid.uuid4().hex[:6]}", scopes=list(scopes)
        ).plaintext


@pytest.fixture(params=["sqlite", "postgres+redis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Settings overrides for the embedded default, and for PostgreSQL + Redis."""
    if request.param == "sqlite":
        yield {}
        return
    if not redis_available():
        pytest.skip("Redis is not reachable at 127.0.0.1:6379 (CI runs these tests)")
    url = request.getfixturevalue("empty_postgres_url")
    yield {
        "database_url": url,
        "queue_url": REDIS_URL,
        "queue_name": f"ordino-test-{uuid.uuid4().hex[:8]}",
    }


@pytest.fixture
def make_runtime(tmp_path: Path, backend: dict[str, Any]) -> Iterator[MakeRuntime]:
    made: list[Runtime] = []

    def make(**overrides: Any) -> Runtime:
        settings = test_settings(tmp_path / "data", **{**backend, **overrides})
        runtime = Runtime.from_settings(settings)
        upgrade_database(runtime.engine)
        made.append(runtime)
        return runtime

    yield make
    for runtime in made:
        if runtime.settings.queue_url:
            runtime.queue.flush()
        runtime.close()
