"""Small readers of YAML values shared by the bank checks: plain values, finite numbers, brief reprs."""

from __future__ import annotations

import math
import re
from typing import Any


def is_scalar(value: Any) -> bool:
    """Text or a number, which a field may turn into text (booleans are not)."""
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def yes_no_hint(value: Any) -> str:
    """A hint, when a value (or an item of a list) is a boolean, that YAML took an unquoted Yes for true or false."""
    if not any(isinstance(item, bool) for item in (value if isinstance(value, list) else [value])):
        return ""
    return " (YAML reads an unquoted yes, no, on, off, true or false as true or false: put it in quotes, \"Yes\")"


# PyYAML reads YAML 1.1, whose numbers in scientific notation need a dot and a signed exponent: an unquoted
# 1e-3 or 9.8e1 (a number to YAML 1.2, to JSON and to whoever wrote it) comes back as text.
_SCIENTIFIC = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)[eE][-+]?\d+")


def finite_number(value: Any) -> float | None:
    """A YAML number (or one in scientific notation, 1e-3) as a finite float; None for anything else (other text,
    .inf, .nan, too large)."""
    if isinstance(value, str) and _SCIENTIFIC.fullmatch(value):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def shorten(text: str, limit: int = 80) -> str:
    """Text on one line, cut to `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def brief(value: Any) -> str:
    """A value as written in a message: its repr, cut short, so a huge or nested value cannot flood a report."""
    return shorten(repr(value), 60)
