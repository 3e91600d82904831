"""Exchange formats: import GIFT, Aiken, Moodle XML, Anki text and CSV into banks; export banks to them.

Readers turn a text into neutral items (quizapp.formats.model); convert turns
items into our question mappings, reporting per item what could not be kept;
export and the writers go the other way. quizapp.formats.service ties them
together: import_text, convert_upload (for the instructor upload page) and
export_bank. See docs/formats.md for every mapping and deliberate difference.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FormatError", "convert_upload", "export_bank", "import_text"]


def __getattr__(name: str) -> Any:
    # Imported lazily: the service module needs the submodules, which import this package first.
    if name in ("convert_upload", "export_bank", "import_text"):
        from quizapp.formats import service

        return getattr(service, name)
    if name == "FormatError":
        from quizapp.formats.model import FormatError

        return FormatError
    raise AttributeError(name)
