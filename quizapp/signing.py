"""Session cookies and CSRF tokens, checked as Flask and Flask-WTF check them, with their keys prepared once.

Every form post checks two signatures: the session cookie's and the CSRF token's. With the stock classes each
check builds a serializer, derives the signing key from the secret again and looks its settings up again,
which together cost a quarter of an answer's time. Here the serializers and derived keys are kept per secret,
and a session cookie already verified in this process is not verified again while it is unexpired.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, g, request
from flask import session as cookie_session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect, same_origin
from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from itsdangerous.encoding import want_bytes
from wtforms import ValidationError

CSRF_SALT = "wtf-csrf-token"  # Flask-WTF's, so tokens from either side verify on the other
_derived_keys: dict[tuple[Any, ...], bytes] = {}
_logger = logging.getLogger("flask_wtf.csrf")


class KeyCachingSigner(TimestampSigner):
    """itsdangerous' timestamp signer with each derived key computed once per secret, salt and method."""

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        """The signing key for a secret (the newest one if None), as itsdangerous derives it."""
        secret = self.secret_keys[-1] if secret_key is None else want_bytes(secret_key)
        cache_key = (secret, self.salt, self.key_derivation, self.digest_method)
        derived = _derived_keys.get(cache_key)
        if derived is None:
            derived = _derived_keys[cache_key] = super().derive_key(secret)
        return derived


class SignedCookieSessions(SecureCookieSessionInterface):
    """Flask's signed cookie sessions, with one serializer per set of keys and verified cookies remembered."""

    # Enough for every student of a lecture hall on one worker; past it the memory starts afresh.
    remembered_limit = 4096

    def __init__(self) -> None:
        self._serializers: dict[tuple[Any, ...], URLSafeTimedSerializer | None] = {}
        self._verified: dict[tuple[URLSafeTimedSerializer, str], tuple[int, dict[str, Any]]] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Flask's session serializer for the app's current keys, built once per set of keys."""
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self._serializers:
            serializer = super().get_signing_serializer(app)
            if serializer is not None:
                serializer.signer = KeyCachingSigner
            self._serializers[keys] = serializer
        return self._serializers[keys]

    def open_session(self, app: Flask, request: Any) -> SecureCookieSession | None:
        """The session a request's cookie holds; a cookie verified before is only checked for its age."""
        serializer = self.get_signing_serializer(app)
        cookie = request.cookies.get(self.get_cookie_name(app)) if serializer is not None else None
        if not cookie:
            return super().open_session(app, request)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        known = self._verified.get((serializer, cookie))
        if known is not None and 0 <= int(time.time()) - known[0] <= max_age:
            return self.session_class(known[1])
        try:
            data, signed_at = serializer.loads(cookie, max_age=max_age, return_timestamp=True)
        except BadData:
            return self.session_class()
        # Only flat values are remembered: the session's copy of the dict shares them, and a list (such as
        # pending flash messages) changed in place would change what is remembered.
        if all(isinstance(value, str | int | float | bool | None) for value in data.values()):
            if len(self._verified) >= self.remembered_limit:
                self._verified.clear()
            self._verified[serializer, cookie] = (int(signed_at.timestamp()), data)
        return self.session_class(data)


class CSRFGuard(CSRFProtect):
    """Flask-WTF's CSRF protection, with the token serializer kept per secret key. Settings, exemptions,
    messages and the CSRFError it raises are Flask-WTF's own."""

    def __init__(self, app: Flask | None = None):
        self._serializers: dict[str | bytes, URLSafeTimedSerializer] = {}
        super().__init__(app)

    def protect(self, apply_exemptions: bool = False) -> None:
        """Refuse the current request unless it carries a valid CSRF token (what CSRFProtect.protect does)."""
        if apply_exemptions and (not request.endpoint or self._is_exempt()):
            return
        config = current_app.config
        if request.method not in config["WTF_CSRF_METHODS"]:
            return
        try:
            self.check_token(self._get_csrf_token())
        except ValidationError as error:
            _logger.info(error.args[0])
            self._error_response(error.args[0])
        if request.is_secure and config["WTF_CSRF_SSL_STRICT"]:
            if not request.referrer:
                self._error_response("The referrer header is missing.")
            if not same_origin(request.referrer, f"https://{request.host}/"):
                self._error_response("The referrer does not match the host.")
        g.csrf_valid = True

    def check_token(self, data: str | None) -> None:
        """Raise ValidationError, with Flask-WTF's message, unless `data` is the session's token, signed."""
        config = current_app.config
        secret_key = config.get("WTF_CSRF_SECRET_KEY", current_app.secret_key)
        field_name = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        if secret_key is None or field_name is None:
            raise RuntimeError("A secret key and a field name are required to use CSRF.")
        if not data:
            raise ValidationError("The CSRF token is missing.")
        if field_name not in cookie_session:
            raise ValidationError("The CSRF session token is missing.")
        serializer = self._serializers.get(secret_key)
        if serializer is None:
            serializer = self._serializers[secret_key] = URLSafeTimedSerializer(
                secret_key, salt=CSRF_SALT, signer=KeyCachingSigner)
        try:
            token = serializer.loads(data, max_age=config.get("WTF_CSRF_TIME_LIMIT", 3600))
        except SignatureExpired as error:
            raise ValidationError("The CSRF token has expired.") from error
        except BadData as error:
            raise ValidationError("The CSRF token is invalid.") from error
        if not hmac.compare_digest(cookie_session[field_name], token):
            raise ValidationError("The CSRF tokens do not match.")


def renew_csrf_token(_sender: Any = None, **_signal_data: Any) -> None:
    """Drop the session's CSRF token (and this request's copy of it) so that the next form gets a new one."""
    # Flask-WTF keeps the token under the field's name, in the session and, once made, in `g` for the request.
    field_name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    cookie_session.pop(field_name, None)
    g.pop(field_name, None)


@contextmanager
def same_csrf_token() -> Iterator[None]:
    """Keep the session's CSRF token through a login of the account already logged in here (after a new
    password): the token was this account's, in this browser, already."""
    field_name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    token = cookie_session.get(field_name)
    yield
    if token is not None:
        cookie_session[field_name] = token
