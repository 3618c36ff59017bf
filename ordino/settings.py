"""One validated settings class, read from ORDINO_* environment variables or a settings file.

Settings are read at the edges (CLI, app factory, task entry points) and passed down as values.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "ordino-development-secret-change-me"


def _settings_file() -> str | None:
    return os.environ.get("ORDINO_SETTINGS_FILE")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ORDINO_", env_file=_settings_file(), env_file_encoding="utf-8", extra="ignore"
    )

    environment: Literal["development", "production", "test"] = "development"
    data_dir: Path = Field(default=Path("./data"), description="database, queue, blobs, models")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default sqlite:///<data_dir>/ordino.db"
    )
    queue_url: str | None = Field(
        default=None, description="redis://host:port/db; default a SQLite queue in the data dir"
    )
    queue_name: str = "ordino"
    host: str = "127.0.0.1"
    port: int = 8000
    secret_key: str = DEFAULT_SECRET
    log_level: str = "INFO"
    log_format: Literal["auto", "json", "console"] = "auto"
    model_dir: Path | None = Field(default=None, description="default <data_dir>/models")
    seller_name: str = "Ordino Demo Supplies SAS"
    seller_vat_id: str | None = "FR40303265045"

    # Worker behaviour
    worker_concurrency: int = 2
    inprocess_worker: bool = Field(default=True, description="`ordino serve` runs a consumer too")
    stage_lease_seconds: int = 300
    stage_max_attempts: int = 3
    retry_backoff_seconds: float = 2.0
    sweep_interval_seconds: int = 30

    # Limits
    max_upload_bytes: int = 50 * 1024 * 1024
    max_pages: int = 200
    max_image_pixels: int = 60_000_000
    ocr_page_timeout_seconds: int = 60
    ocr_languages: str = "eng+fra+deu"

    test_faults: str = Field(
        default="",
        description="test environment only: 'read=crash,extract=hang' makes those stages fail",
    )

    # Decision
    target_silent_error_rate: float = 0.005

    # Learning from corrections
    retrain_schedule: str = Field(
        default="0 2 * * 0",
        description="cron (minute hour day month weekday, UTC) of the periodic retraining; 'off'",
    )
    retrain_min_corrections: int = Field(
        default=20, ge=1, description="new validated documents needed before a periodic retrain"
    )

    @field_validator("retrain_schedule")
    @classmethod
    def _valid_retrain_schedule(cls, value: str) -> str:
        from ordino.retraining import parse_schedule

        parse_schedule(value)  # raises ValueError with the reason
        return value

    @model_validator(mode="after")
    def _refuse_default_secret_in_production(self) -> Settings:
        if self.environment == "production" and self.secret_key == DEFAULT_SECRET:
            raise ValueError("ORDINO_SECRET_KEY must be set to a secret value in production")
        return self

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'ordino.db').resolve()}"

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def queue_path(self) -> Path:
        return self.data_dir / "queue.db"

    @property
    def resolved_model_dir(self) -> Path:
        return self.model_dir or self.data_dir / "models"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
