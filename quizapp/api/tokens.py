"""Personal API tokens: made, found and revoked without HTTP."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from quizapp.collation import folded
from quizapp.models import ApiToken, User
from quizapp.models.locks import write_lock
from quizapp.models.types import utcnow

TOKEN_PREFIX = "qz_"
# Writing last_used_at on every request would turn each read into a write; once a minute is precise enough.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; the secret is returned once and only its hash is stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name.strip(), token_hash=_digest(secret), prefix=secret[:10])
    session.add(token)
    session.flush()
    return token, secret


def has_token_named(session: Session, user: User, name: str) -> bool:
    """Whether the user has an unrevoked token of that name (in any case): a form sent twice makes one token.
    The user's row stays write-locked until the transaction ends, so two sends at once check one after the
    other, the second seeing the first's token."""
    write_lock(session, User, User.id == user.id)
    names = session.scalars(select(ApiToken.name).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)))
    return any(folded(other) == folded(name) for other in names)


def user_for_token(session: Session, secret: str) -> User | None:
    """The owner of an unrevoked token, or None; None too if the account is deactivated."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(secret),
                                                  ApiToken.revoked_at.is_(None)))
    if token is None or not token.user.is_active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_RESOLUTION:
        token.last_used_at = now
        session.commit()
    return token.user


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens, newest first, revoked ones included."""
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def live_token_count(session: Session, user: User) -> int:
    """How many of the user's tokens still work."""
    return session.scalar(select(func.count()).select_from(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))) or 0


def revoke_all_tokens(session: Session, user: User, when: datetime | None = None) -> int:
    """Revoke every token of the user that still works; how many were revoked."""
    # One statement: a token its owner revokes at the same moment is neither revoked twice nor counted twice.
    return session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                           .values(revoked_at=when or utcnow())).rowcount


def revoke_token(session: Session, user: User, token_id: int) -> bool:
    """Revoke one of the user's tokens; False if it is not theirs or already revoked."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    return True
