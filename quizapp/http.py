"""HTTP details below the pages: which numbers an address may carry, which headers an error response keeps, and
the type of a view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from quizapp.models.types import INTEGER_MAX

View = Callable[..., Any]  # a Flask view function, as the access decorators take and return it


def digits_up_to(limit: int) -> str:
    """A regular expression matching the numbers from 0 to `limit` written with at most as many digits as `limit`,
    and nothing else."""
    text = str(limit)
    alternatives = [f"[0-9]{{1,{len(text) - 1}}}"] if len(text) > 1 else []
    # Same length as the limit: equal up to some digit, then smaller there, then anything.
    alternatives += [f"{text[:i]}[0-{int(digit) - 1}][0-9]{{{len(text) - i - 1}}}"
                     for i, digit in enumerate(text) if digit != "0"]
    return "(?:" + "|".join([*alternatives, text]) + ")"


class RowIdConverter(IntegerConverter):
    """Flask's `<int:...>` for ids: ASCII digits up to what an INTEGER column holds, so that a larger number in an
    address is a 404 like any other unknown id, not a database error. The bound is in the pattern rather than
    a converter check, which werkzeug would answer with 405 where a twin route takes another method."""

    regex = digits_up_to(INTEGER_MAX)


def error_headers(error: Exception) -> list[tuple[str, str]]:
    """The headers an HTTP error carries besides its body, such as the Allow header of a 405."""
    if not isinstance(error, HTTPException):
        return []
    return [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
