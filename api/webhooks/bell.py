"""Ring the webhook pump as soon as a transaction that adds an event commits.

The outbox row is the truth; the bell only shortens the wait. It rings after the commit (never
before: the pump must be able to see the row) and not at all after a rollback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession

from models.tables import OutboxEvent, utcnow
from models.webhook_tables import DeliveryStatus, WebhookDelivery

_FLAG = "ordino.webhook_bell"


def _wants_delivery(instance: object) -> bool:
    if isinstance(instance, OutboxEvent):
        return True
    return (
        isinstance(instance, WebhookDelivery)
        and instance.status == DeliveryStatus.PENDING
        and instance.next_attempt_at is not None
        and instance.next_attempt_at <= utcnow()
    )


def install_webhook_bell(
    ring: Callable[[], None], *, engine: Engine | None = None
) -> Callable[[], None]:
    """Call `ring()` after each commit that added an event or made a delivery due now.

    With `engine`, only sessions bound to that engine ring (one process may hold several).
    Returns a function that removes the listeners again.
    """

    def after_flush(session: OrmSession, _context: Any) -> None:
        if engine is not None and session.get_bind() is not engine:
            return
        if any(_wants_delivery(obj) for obj in (*session.new, *session.dirty)):
            session.info[_FLAG] = True

    def after_commit(session: OrmSession) -> None:
        if session.info.pop(_FLAG, False):
            ring()

    def after_rollback(session: OrmSession) -> None:
        session.info.pop(_FLAG, None)

    listeners = (
        ("after_flush", after_flush),
        ("after_commit", after_commit),
        ("after_rollback", after_rollback),
    )
    for name, listener in listeners:
        event.listen(OrmSession, name, listener)

    def uninstall() -> None:
        for name, listener in listeners:
            event.remove(OrmSession, name, listener)

    return uninstall
