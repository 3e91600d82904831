"""Fit a user's own FSRS parameters from their review history with the package's optimizer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quizapp.models import ReviewLog, User

MIN_REVIEWS = 1000
# The fsrs optimizer learns only from reviews a day or more after the card's previous one, among each card's
# first 64, and below one mini-batch (512) of them it quietly hands back its default parameters.
MIN_SPACED_REVIEWS = 512
FSRS_REVIEWS_PER_CARD = 64
INSTALL_HINT = 'The optimizer is an optional extra. Install it with: pip install ".[optimizer]"'


class NotEnoughReviews(Exception):
    """Too few reviews to fit parameters that beat the defaults."""


class OptimizerMissing(Exception):
    """The optional optimizer dependencies (torch, pandas) are not installed."""


def review_count(session: Session, user: User) -> int:
    """How many reviews the user has logged, quiz lapses included (the optimizer learns from them)."""
    return session.scalar(select(func.count()).select_from(ReviewLog).where(ReviewLog.user_id == user.id))


def review_history(session: Session, user: User) -> list[tuple[int, int, datetime, int | None]]:
    """The user's reviews as the optimizer reads them: card, rating, time and duration, oldest first.

    Quiz lapses are included: each is a real failure to recall, applied to the card as an Again, and without it a
    study review after it would read as a success after the card's whole interval."""
    return [tuple(row) for row in session.execute(
        select(ReviewLog.card_id, ReviewLog.rating, ReviewLog.reviewed_at, ReviewLog.duration_ms)
        .where(ReviewLog.user_id == user.id).order_by(ReviewLog.reviewed_at, ReviewLog.id)
    )]


def spaced_review_count(reviews: Iterable[tuple[int, datetime]]) -> int:
    """How many of the (card, time) reviews the fsrs optimizer learns from: those a day or more after the card's
    previous review, among each card's first reviews."""
    by_card: defaultdict[int, list[datetime]] = defaultdict(list)
    for card_id, moment in reviews:
        by_card[card_id].append(moment)
    count = 0
    for moments in by_card.values():
        first = sorted(moments)[:FSRS_REVIEWS_PER_CARD]
        count += sum((later - earlier).days > 0 for earlier, later in zip(first, first[1:], strict=False))
    return count


def fit_parameters(session: Session, user: User, minimum: int = MIN_REVIEWS) -> list[float]:
    """Fit and store the user's parameters; the scheduler uses them from the next review on."""
    count = review_count(session, user)
    if count < minimum:
        raise NotEnoughReviews(f"{user.email} has {count} review{'' if count == 1 else 's'}; "
                               f"at least {minimum} are needed.")
    from fsrs import Optimizer
    from fsrs import Rating as FsrsRating
    from fsrs import ReviewLog as FsrsReviewLog

    logs = [FsrsReviewLog(card_id=card_id, rating=FsrsRating(rating), review_datetime=at, review_duration=duration)
            for card_id, rating, at, duration in review_history(session, user)]
    try:
        optimizer = Optimizer(logs)
    except ImportError as error:
        raise OptimizerMissing(INSTALL_HINT) from error
    spaced = spaced_review_count((log.card_id, log.review_datetime) for log in logs)
    if spaced < MIN_SPACED_REVIEWS:
        raise NotEnoughReviews(f"{user.email} has {spaced} review{'' if spaced == 1 else 's'} made a day or more "
                               f"after the card's previous one; at least {MIN_SPACED_REVIEWS} are needed "
                               "(with fewer, FSRS would only hand back its default parameters).")
    parameters = [float(p) for p in optimizer.compute_optimal_parameters()]
    user.fsrs_parameters = parameters
    return parameters
