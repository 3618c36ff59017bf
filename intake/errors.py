"""Errors of the intake sources (the registry's own are in `intake.registry`)."""

from __future__ import annotations

from models.errors import OrdinoError


class ConnectionLostError(OrdinoError):
    title = "The IMAP server closed the connection"


class SourceRemovedError(OrdinoError):
    title = "The mailbox or hot folder was removed"
