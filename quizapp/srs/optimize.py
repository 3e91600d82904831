"""Fit a user's own FSRS parameters from their review history with the package's optimizer."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quizapp.models import ReviewLog, User

MIN_REVIEWS = 1000
INSTALL_HINT = 'The optimizer is an optional extra. Install it with: pip install ".[optimizer]"'


class NotEnoughReviews(Exception):
    """Too few reviews to fit parameters that beat the defaults."""


class OptimizerMissing(Exception):
    """The optional optimizer dependencies (torch, pandas) are not installed."""


def review_count(session: Session, user: User) -> int:
    """How many reviews the user has logged."""
    return session.scalar(select(func.count()).select_from(ReviewLog).where(ReviewLog.user_id == user.id))


def fit_parameters(session: Session, user: User, minimum: int = MIN_REVIEWS) -> list[float]:
    """Fit and store the user's parameters; the scheduler uses them from the next review on."""
    count = review_count(session, user)
    if count < minimum:
        raise NotEnoughReviews(f"{user.email} has {count} review{'' if count == 1 else 's'}; "
                               f"at least {minimum} are needed.")
    from fsrs import Optimizer
    from fsrs import Rating as FsrsRating
    from fsrs import ReviewLog as FsrsReviewLog

    rows = session.execute(
        select(ReviewLog.card_id, ReviewLog.rating, ReviewLog.reviewed_at, ReviewLog.duration_ms)
        .where(ReviewLog.user_id == user.id).order_by(ReviewLog.reviewed_at, ReviewLog.id)
    )
    logs = [FsrsReviewLog(card_id=card_id, rating=FsrsRating(rating), review_datetime=at, review_duration=duration)
            for card_id, rating, at, duration in rows]
    try:
        optimizer = Optimizer(logs)
    except ImportError as error:
        raise OptimizerMissing(INSTALL_HINT) from error
    parameters = [float(p) for p in optimizer.compute_optimal_parameters()]
    user.fsrs_parameters = parameters
    return parameters
