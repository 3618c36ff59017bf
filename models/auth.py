"""API keys (hashed, scoped) and users (argon2 passwords, lockout)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from models.errors import AuthenticationError, ConflictError, ValidationFailedError
from models.tables import ApiKey, User, UserRole, utcnow

SCOPES = ("read", "write", "admin")
KEY_PREFIX = "ord_"
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
LAST_USED_RESOLUTION = timedelta(minutes=1)
"""`last_used_at` is refreshed at most this often, so that reads do not each write."""

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a password anyone has")


def _hash_key(secret: str) -> str:
    # API keys are long random strings, so a fast keyed-free hash is enough (unlike passwords).
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class CreatedApiKey:
    key: ApiKey
    plaintext: str
    """Shown once; only its hash is stored."""


def create_api_key(session: Session, *, name: str, scopes: list[str]) -> CreatedApiKey:
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise ValidationFailedError(
            f"scopes must be some of {', '.join(SCOPES)}; got {', '.join(scopes) or 'none'}"
        )
    prefix = secrets.token_hex(6)
    plaintext = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey(name=name, prefix=prefix, key_hash=_hash_key(plaintext), scopes=" ".join(scopes))
    session.add(key)
    session.flush()
    return CreatedApiKey(key=key, plaintext=plaintext)


def authenticate_api_key(session: Session, token: str) -> ApiKey:
    """The active key for a bearer token, or AuthenticationError."""
    parts = token.removeprefix(KEY_PREFIX).split("_", 1)
    if not token.startswith(KEY_PREFIX) or len(parts) != 2:
        raise AuthenticationError(
            "the API key is malformed; expected 'Authorization: Bearer ord_…'"
        )
    key = session.exec(select(ApiKey).where(ApiKey.prefix == parts[0])).first()
    if (
        key is None
        or key.revoked_at is not None
        or not hmac.compare_digest(key.key_hash, _hash_key(token))
    ):
        raise AuthenticationError("the API key is unknown or revoked")
    now = utcnow()
    if key.last_used_at is None or now - _aware(key.last_used_at) > LAST_USED_RESOLUTION:
        key.last_used_at = now
        session.add(key)
    return key


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def key_scopes(key: ApiKey) -> frozenset[str]:
    scopes = set(key.scopes.split())
    if "admin" in scopes:
        scopes |= {"read", "write"}
    if "write" in scopes:
        scopes.add("read")
    return frozenset(scopes)


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str = UserRole.AGENT,
    full_name: str = "",
) -> User:
    if role not in {r.value for r in UserRole}:
        raise ValidationFailedError(f"role must be agent, supervisor or admin; got {role!r}")
    if len(password) < 8:
        raise ValidationFailedError("the password must have at least 8 characters")
    if session.exec(select(User).where(User.username == username)).first() is not None:
        raise ConflictError(f"a user named {username!r} exists already")
    user = User(
        username=username, full_name=full_name, role=role, password_hash=_hasher.hash(password)
    )
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, *, user: User, password: str) -> None:
    if len(password) < 8:
        raise ValidationFailedError("the password must have at least 8 characters")
    user.password_hash = _hasher.hash(password)
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)


def authenticate_user(session: Session, *, username: str, password: str) -> User:
    """The user for these credentials; counts failures and locks the account after too many."""
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None or not user.active:
        # Verify against a dummy hash all the same, so the answer takes as long as for a real
        # user and does not tell which user names exist.
        with suppress(VerificationError, InvalidHashError):
            _hasher.verify(_DUMMY_HASH, password)
        raise AuthenticationError("wrong user name or password")
    now = utcnow()
    if user.locked_until is not None and user.locked_until > now:
        raise AuthenticationError(
            "this account is locked after repeated failed sign-ins; try again in 15 minutes"
        )
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0
        session.add(user)
        raise AuthenticationError("wrong user name or password") from None
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    return user
