"""Imports every module that defines tables, so that SQLModel.metadata knows them all.

Alembic, `create_all` and the test fixtures import this one module.
"""

from models import (
    idempotency,  # noqa: F401
    intake_tables,  # noqa: F401
    layout_tables,  # noqa: F401
    review_tables,  # noqa: F401
    tables,  # noqa: F401
    webhook_tables,  # noqa: F401
)
