"""The Jinja2 environment of the screens: autoescaped, so extracted text is always shown as text."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

TEMPLATE_DIR = Path(__file__).parent / "templates"


def format_age(age: timedelta) -> str:
    """'3 min', '2 h 05', '4 d 3 h' — how long a document has waited."""
    minutes = int(age.total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d}"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def format_duration(duration: timedelta) -> str:
    """'42 s', '3 min 05 s', then as `format_age` — how long a piece of work took."""
    seconds = round(duration.total_seconds())
    if seconds < 120:
        return f"{max(seconds, 0)} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return format_age(duration)


def format_time(moment: datetime | None) -> str:
    return "" if moment is None else f"{moment:%Y-%m-%d %H:%M}"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["age"] = format_age
    env.filters["when"] = format_time
    env.filters["duration"] = format_duration
    return env


templates = Jinja2Templates(env=_environment())
