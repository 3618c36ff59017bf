"""Passwords for mailboxes and SMTP servers, read when needed from an env var or a secret file."""

from __future__ import annotations

import os
from pathlib import Path

from models.errors import OrdinoError


class MissingSecretError(OrdinoError):
    title = "Password not available"


def read_secret(*, env: str | None, file: str | None, what: str) -> str:
    """The password named by `env` (an environment variable) or `file` (a secret file)."""
    if env:
        value = os.environ.get(env)
        if value is None:
            raise MissingSecretError(
                f"the password of {what} is read from the environment variable {env}, "
                "which is not set; set it for the worker process"
            )
        return value
    if file:
        try:
            return Path(file).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as error:
            raise MissingSecretError(
                f"the password of {what} is read from {file}, which cannot be read "
                f"({error.strerror}); check the path and its permissions"
            ) from error
    raise MissingSecretError(
        f"{what} has no password source; give it --password-env VAR or --password-file PATH"
    )
