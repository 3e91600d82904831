"""Rate limits on joining a class: only wrong codes count, per account and per client address."""

from __future__ import annotations

from flask.wrappers import Response
from flask_login import current_user

from quizapp.extensions import limit_setting, limiter


def _refused(response: Response) -> bool:
    # A join that worked redirects; a wrong or empty code re-renders the form with 422.
    return response.status_code == 422


def _account_key() -> str:
    # The account's id alone: get_id() carries the session version too, which each logout moves on, and the
    # count would start afresh with every new login.
    return f"join:{current_user.id}"


failed_joins_per_account = limiter.limit(
    limit_setting("JOIN_FAILURES_PER_USER"), key_func=_account_key, methods=["POST"],
    deduct_when=_refused, error_message="Too many wrong join codes. Ask your instructor for the code and try "
                                        "again in an hour.")
failed_joins_per_address = limiter.limit(
    limit_setting("JOIN_FAILURES_PER_ADDRESS"), methods=["POST"], deduct_when=_refused,
    error_message="Too many wrong join codes from this network. Try again in an hour.")
