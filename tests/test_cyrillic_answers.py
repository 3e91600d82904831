"""Answers typed in Russian, Kazakh (Cyrillic or Latin) and with digits of other scripts; pure functions."""

from __future__ import annotations

import pytest

from quizapp.grading import grade
from quizapp.grading.checkers import numeric_refusal
from quizapp.grading.normalize import normalize_text, parse_number


def short_text(*answers: str) -> dict:
    return {"answers": list(answers)}


@pytest.mark.parametrize("typed, accepted", [
    ("МӘЖІЛІС", "Мәжіліс"),
    ("мәжіліс.", "Мәжіліс"),
    ("Ёлбасы", "Елбасы"),  # ё is commonly written е
    ("елбасы", "Ёлбасы"),
    # A Latin i (or a, e, o...) typed for the Cyrillic letter it looks like, as keyboards without Kazakh letters do.
    ("Мәжiлiс", "Мәжіліс"),
    ("Казахстaн", "Казахстан"),
    # Kazakh in the Latin alphabet: dotless ı and dotted İ both fold to i, as ä folds to a.
    ("Qazaqstan Respublikasy", "Qazaqstan Respublıkasy"),
    ("İLYAS", "Ilyas"),
    ("ılyas", "Ilyas"),
    ("Mäjilis", "Majilis"),
])
def test_cyrillic_and_kazakh_answers_match_in_any_case_and_spelling(typed, accepted):
    assert grade("short_text", short_text(accepted), typed).correct


@pytest.mark.parametrize("typed, accepted", [
    ("мои", "мой"),  # short i is a letter, not an accent
    ("Мажилис", "Мәжіліс"),  # Kazakh letters are letters too
    ("казак", "қазақ"),
    ("улт", "ұлт"),
    ("укимет", "үкімет"),
    ("кугам", "қоғам"),
])
def test_letters_of_their_own_are_not_dropped_as_accents(typed, accepted):
    assert not grade("short_text", short_text(accepted), typed).correct


def test_a_latin_word_keeps_its_latin_letters():
    assert normalize_text("Mazhilis") == "mazhilis"
    assert normalize_text("Мәжіліс and Mazhilis") == "мәжіліс and mazhilis"


def test_a_decomposed_short_i_is_the_same_letter():
    assert normalize_text("и\u0306") == normalize_text("й") == "й"


@pytest.mark.parametrize("typed, value", [
    ("٢٩٫٤", 29.4),  # Arabic-Indic digits with Arabic's decimal mark
    ("٢٬٠٠٠", 2000),  # and its thousands mark
    ("۹۸", 98),
    ("１２", 12),
    ("1\u00a0000", 1000),
    ("1\u202f000,5", 1000.5),
    ("\u22120,5", -0.5),
    ("98 депутатов", 98),
])
def test_numbers_in_any_digits_and_separators(typed, value):
    assert parse_number(typed).value == pytest.approx(value)


def test_a_number_that_reads_two_ways_is_offered_back_in_plain_digits():
    assert parse_number("٢,٠٠٠").readings == ("2000", "2")
    assert "2000 or 2" in numeric_refusal("٢,٠٠٠")
