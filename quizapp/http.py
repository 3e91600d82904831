"""HTTP details below the pages: which numbers an address may carry, which headers an error response keeps, how
a body of no stated length meets the upload limit, and the type of a view."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import IO, Any
from urllib.parse import quote, urlsplit

from flask import Request as FlaskRequest
from flask import current_app, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream

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


# What no file name on Windows, macOS or Linux may hold, and control characters, which none should.
_NOT_IN_FILE_NAMES = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


def attachment(fallback: str, name: str) -> str:
    """A Content-Disposition that saves a download as `name`, which may be any text (a class's name in Cyrillic,
    say), with the plain ASCII `fallback` for programs that read only the old parameter (RFC 6266)."""
    cleaned = " ".join(_NOT_IN_FILE_NAMES.sub(" ", name).split()).strip(". ")[:150] or fallback
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(cleaned, safe='')}"


# Browsers read a backslash as a slash ("/\host" goes to host) and drop tabs and line breaks ("/\t/host" too).
_NOT_IN_OWN_PATHS = re.compile(r"[\x00-\x20\x7f\\]")


def own_page(target: str | None) -> str | None:
    """`target` if it is the path (and query) of a page of this site, else None: never another site's address."""
    if not target or not target.startswith("/") or target.startswith("//") or _NOT_IN_OWN_PATHS.search(target):
        return None
    parts = urlsplit(target)
    root = request.script_root
    if parts.scheme or parts.netloc or not parts.path.startswith(f"{root}/"):
        return None
    try:  # a page: an address some route answers with GET, not one a form posts to or that no route has
        current_app.create_url_adapter(request).match(parts.path[len(root):], method="GET")
    except HTTPException:  # werkzeug's NotFound, MethodNotAllowed and RequestRedirect
        return None
    return target


def error_headers(error: Exception) -> list[tuple[str, str]]:
    """The headers an HTTP error carries besides its body, such as the Allow header of a 405."""
    if not isinstance(error, HTTPException):
        return []
    return [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]


class StreamedBodyLimit(LimitedStream):
    """A body of no stated length (sent chunked) that raises 413 once it runs past the maximum.

    Werkzeug's own limit on such a body stops reading at the maximum and says nothing until a further read, which
    form and JSON parsing never make: they read what came before the cut as the whole body, and a form so cut lost
    its CSRF token (400) or its JSON its closing brace (400)."""

    def __init__(self, stream: IO[bytes], maximum: int) -> None:
        # One byte past the maximum tells a body that ends there from one that goes on.
        super().__init__(stream, maximum + 1, is_max=True)

    def readinto(self, buffer: Any) -> int:
        size = super().readinto(buffer) or 0
        if self.is_exhausted:
            raise RequestEntityTooLarge()
        return size


class Request(FlaskRequest):
    """Flask's request, but a chunked body past MAX_CONTENT_LENGTH is refused with 413 as one with a
    Content-Length is, however it is read (form, JSON or file)."""

    @cached_property
    def stream(self) -> IO[bytes]:
        """The body, limited to MAX_CONTENT_LENGTH."""
        maximum = self.max_content_length
        # Only a server that ends a body itself (wsgi.input_terminated) may be read without a Content-Length.
        if (not self.shallow and maximum is not None and self.content_length is None
                and self.environ.get("wsgi.input_terminated")):
            return StreamedBodyLimit(self.environ["wsgi.input"], maximum)
        return super().stream
