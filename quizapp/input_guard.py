"""Refuse requests no page could handle: NUL characters (which no text column stores) and JSON nested too deep."""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, request
from werkzeug.datastructures import MultiDict

_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
NUL_MESSAGE = "The request holds a NUL character, which no field accepts. Remove it and send it again."


def _holds_nul(value: Any) -> bool:
    """Whether any text in a JSON value holds a NUL character; walked without recursion."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _refuse_unreadable_input() -> None:
    # Keys and values are joined and searched once: walking them one by one was most of this check's cost.
    texts = [request.path, *_keys_and_values(request.args)]
    if request.method not in _SAFE_METHODS:
        texts += _keys_and_values(request.form)
        if request.is_json:
            try:
                body = request.get_json(silent=True)
            except RecursionError:
                abort(400, description="The JSON is nested too deeply.")
            if _holds_nul(body):
                abort(400, description=NUL_MESSAGE)
    if "\x00" in "".join(texts):
        abort(400, description=NUL_MESSAGE)


def _keys_and_values(fields: MultiDict) -> list[str]:
    return [text for key, values in fields.lists() for text in (key, *values)]


def register_input_guard(app: Flask) -> None:
    """Check every request's path, query, form and JSON before any view reads them.

    PostgreSQL refuses NUL in text, so a NUL typed into any field used to end in a server error."""
    app.before_request(_refuse_unreadable_input)
