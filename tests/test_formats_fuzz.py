"""Fuzzing: random and mutated input to every importer raises nothing but FormatError."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.formats.model import FormatError
from quizapp.formats.service import IMPORT_FORMATS, bank_yaml, import_text
from quizapp.formats.textio import decode
from tests.test_formats_cli import SAMPLES

SAMPLES = {**SAMPLES, "moodlexml": SAMPLES["moodlexml"].replace("</quiz>", '<question type="cloze"><questiontext>'
                                                                  "<text>{1:SA:=a~%50%b#c} {:NM:=1:2}</text>"
                                                                  "</questiontext></question></quiz>")}
# Characters that mean something in one format or another, and some that are merely unusual.
SYNTAX = st.sampled_from(list("{}[]:#=~%->\\/|\"'<>&;,\t\n\r \ufeff\ue000\ue001\ufdd0") +
                         ["::", "####", "{{c1::", "}}", "<![CDATA[", "]]>", "ANSWER:", "A)", "$CATEGORY:", "//",
                          "#separator:", "#html:true", "#notetype column:1", "<question type=\"multichoice\">",
                          "<answer fraction=\"100\">", "<text>", "</text>", "{1:MULTICHOICE:", "[html]", "[markdown]",
                          "\\n", "..", "1e999", "-", "0"])
TEXT = st.lists(st.one_of(SYNTAX, st.text(max_size=8)), max_size=40).map("".join)
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _survives(text: str, fmt: str) -> None:
    try:
        imported = import_text(text, fmt, "fuzz", "Fuzz")
        if imported.questions:
            bank_yaml(imported, "fuzz", fmt)
    except FormatError:
        pass


@pytest.mark.parametrize("fmt", IMPORT_FORMATS)
@FUZZ
@given(text=TEXT)
def test_random_text(fmt: str, text: str) -> None:
    _survives(text, fmt)


@pytest.mark.parametrize("fmt", IMPORT_FORMATS)
@FUZZ
@given(data=st.data())
def test_mutated_valid_input(fmt: str, data: st.DataObject) -> None:
    text = SAMPLES[fmt]
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 4))
        text = text[:at] + data.draw(TEXT) + text[at + cut:]
    _survives(text, fmt)


@FUZZ
@given(data=st.binary(max_size=64))
def test_random_bytes_decode_or_fail_clearly(data: bytes) -> None:
    with contextlib.suppress(FormatError):
        decode(data)
