"""Rate limits of classes: wrong join codes per account and per client address, refused invitations per account,
invitation mails per address."""

from __future__ import annotations

from flask import current_app
from flask.wrappers import Response
from flask_login import current_user
from limits import parse_many

from quizapp.auth.accounts import normalise_email
from quizapp.extensions import limit_setting, limiter


def _refused(response: Response) -> bool:
    # A join or invitation that worked redirects; a refused one re-renders the form with 422.
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


def _inviter_key() -> str:
    return f"invite:{current_user.id}"


# Each refused invitation says whether an address belongs to an instructor account: enough for a mistyped
# address or two, not for sweeping a list of addresses.
refused_invitations_per_account = limiter.limit(
    limit_setting("INVITATION_REFUSALS_PER_USER"), key_func=_inviter_key, methods=["POST"], deduct_when=_refused,
    error_message="Too many invitations were refused. Check the instructor's address with them and try again in "
                  "an hour.")


def invitation_mail_allowed(email: str) -> bool:
    """Whether the address may be sent one more invitation mail, which is then counted against it."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return True
    # Counted in the limiter's storage, which REDIS_URL shares among app servers, per address whoever invites
    # and to whichever class: invited, withdrawn and invited again, or invited by many, nobody's inbox fills up.
    key = ("invitation-mail:" + normalise_email(email), "invitation-mails")
    allowed = parse_many(current_app.config["INVITATION_MAILS_PER_EMAIL"])
    try:
        # Tested first: a mail held back by one limit must not count against the others.
        return (all(limiter.limiter.test(limit, *key) for limit in allowed)
                and all([limiter.limiter.hit(limit, *key) for limit in allowed]))
    except limiter.storage.base_exceptions:
        # The storage not answering stops no mail, as it stops no login; the invitation is made already.
        current_app.logger.warning("invitation mail sent uncounted: the rate-limit storage did not answer",
                                   exc_info=True)
        return True
