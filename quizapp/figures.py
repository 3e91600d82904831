"""How the pages write figures: a score as a percentage, and a correlation, which may be negative."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_TENTH = Decimal("0.1")
_HUNDREDTH = Decimal("0.01")


def rounded_percent(value: float) -> float:
    """A percentage to one decimal, halves rounded up (18.25 -> 18.3), as every page and export shows it."""
    return _rounded(value, _TENTH)


def percent_of(points: float, possible: float) -> float:
    """Points as a percentage of what could be earned, rounded as rounded_percent does; 0.0 when nothing could."""
    return rounded_percent(100 * points / possible) if possible else 0.0


def percent_text(value: float) -> str:
    """A percentage as the pages write it: one decimal and the sign, 2/11 -> '18.2%', 1 -> '100.0%'."""
    return f"{rounded_percent(value):.1f}%"


def rounded_correlation(value: float) -> float:
    """A correlation to two decimals, halves rounded away from zero (0.125 -> 0.13), as the pages, the exports and
    the flags read it; a tiny negative rounded away is 0.0, not -0.0."""
    return _rounded(value, _HUNDREDTH) + 0.0


def correlation_text(value: float) -> str:
    """A correlation rounded by rounded_correlation, for a page: two decimals, a negative one with the true minus sign
    (U+2212) the explanations use (-0.5 -> '−0.50'), and one rounded to nothing 'about 0'."""
    # "0.00" beside "−0.00" would tell apart what cannot be told apart at this precision.
    return "about 0" if value == 0 else f"{value:.2f}".replace("-", "\u2212", 1)


def _rounded(value: float, step: Decimal) -> float:
    # Through the number's shortest decimal form: round() on the float would send some halves down (1.25 -> 1.2).
    return float(Decimal(repr(float(value))).quantize(step, ROUND_HALF_UP))
