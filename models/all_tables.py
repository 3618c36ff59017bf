"""Imports every module that defines tables, so that SQLModel.metadata knows them all.

Alembic, `create_all` and the test fixtures import this one module.
"""

from models import tables  # noqa: F401
from models import review_tables  # noqa: F401
from models import idempotency  # noqa: F401
from models import webhook_tables  # noqa: F401
