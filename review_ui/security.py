"""The screens' session cookie and CSRF tokens.

The cookie is signed with the application's secret (itsdangerous) and carries the user id, a
per-session CSRF token and a fingerprint of the user's password hash: changing the password
ends every session that was opened with the old one. Anonymous visitors get a cookie too, so
that the sign-in form itself is protected against CSRF.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

from models.tables import User

COOKIE_NAME = "ordino_session"
SESSION_MAX_AGE_SECONDS = 12 * 3600
"""One working day: an agent signs in once per shift."""
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
_SALT = "ordino.review_ui.session"


@dataclass(frozen=True)
class ScreenSession:
    csrf_token: str
    user_id: int | None = None
    password_fingerprint: str | None = None

    def signed_in_as(self, user: User) -> ScreenSession:
        """A fresh session for `user`: a new CSRF token, so a token seen before sign-in is void."""
        return ScreenSession(
            csrf_token=new_csrf_token(),
            user_id=user.id,
            password_fingerprint=password_fingerprint(user),
        )

    def belongs_to(self, user: User) -> bool:
        return (
            user.active
            and user.id == self.user_id
            and self.password_fingerprint is not None
            and hmac.compare_digest(self.password_fingerprint, password_fingerprint(user))
        )


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def anonymous_session() -> ScreenSession:
    return ScreenSession(csrf_token=new_csrf_token())


def password_fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


class SessionCodec:
    """Signs sessions into cookie values and reads them back (None when forged or too old)."""

    def __init__(self, secret_key: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt=_SALT)

    def dumps(self, session: ScreenSession) -> str:
        return self._serializer.dumps(
            {"csrf": session.csrf_token, "uid": session.user_id, "pw": session.password_fingerprint}
        )

    def loads(self, value: str | None) -> ScreenSession | None:
        if not value:
            return None
        try:
            data = self._serializer.loads(value, max_age=SESSION_MAX_AGE_SECONDS)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("csrf"), str):
            return None
        uid = data.get("uid")
        return ScreenSession(
            csrf_token=data["csrf"],
            user_id=uid if isinstance(uid, int) else None,
            password_fingerprint=data.get("pw") if isinstance(data.get("pw"), str) else None,
        )


def csrf_matches(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())
