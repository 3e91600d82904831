"""Quote resolution against the real source texts, including the second text's broken lines."""

from __future__ import annotations

import pytest

from quizapp.content.passages import context_bounds, passage_in_context
from quizapp.content.quotes import find_quote, fold
from tests.conftest import QUESTIONS

OSW = (QUESTIONS / "sources" / "000_7d53f7279d39a046.txt").read_text(encoding="utf-8")
CB = (QUESTIONS / "sources" / "001_a23d0b135ca46f70.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(("text", "quote", "expected"), [
    (OSW, "has been reduced from 107 to 98", "has been reduced from 107 to 98"),
    # curly quotes in the source, straight in the quote
    (OSW, "from a 'super-presidential' system", "from a ‘super-presidential’ system"),
    # en dash in the source, hyphen in the quote
    (OSW, "its creator - President Kassym-Jomart Tokayev -", "its creator – President Kassym-Jomart Tokayev –"),
    # a word hyphenated across a page break, quoted whole
    (CB, "a foregone conclusion. However, the reforms", "a foregone conclusion. How-\n\never, the reforms"),
    # the same, quoted with the hyphen and a space
    (CB, "How- ever, the reforms", "How-\n\never, the reforms"),
    # a blockquote marker left in the extracted text after the break
    (CB, "The global financial crisis in 2008, however, revealed",
     "The global financial crisis in 2008, how-\n\n> ever, revealed"),
    # a line break and runs of spaces inside the quote
    (CB, "For example, the   concrete legislation produced by parliament",
     "For example, the\n\nconcrete legislation produced by parliament"),
])
def test_quote_found_despite_layout_noise(text, quote, expected):
    span = find_quote(fold(text), quote)
    assert span is not None
    assert text[span[0]:span[1]] == expected


@pytest.mark.parametrize("quote", [
    "has been reduced from 107 to 99",  # a changed figure
    "Has been reduced from 107 to 98",  # case matters
    "",
    "   ",
])
def test_quote_that_matches_nowhere(quote):
    assert find_quote(fold(OSW), quote) is None


def test_context_is_whole_sentences_around_the_passage():
    start = OSW.index("a total of 227 people")
    end = start + len("a total of 227 people")
    left, right = context_bounds(OSW, start, end)
    assert OSW[left:right].startswith("This allowed a pacification process")
    assert OSW[left:right].rstrip().endswith("President Tokayev’s domestic position.")


def test_context_keeps_list_items_apart_and_joins_page_breaks():
    start = OSW.index("the number of deputies for the Mazhilis")
    end = OSW.index("107 to 98") + len("107 to 98")
    paragraphs = passage_in_context(OSW, start, end)
    assert [p.runs[0][0] for p in paragraphs][:2] == ["Parliament:", "- "]
    marked = next(p for p in paragraphs if p.has_mark)
    quote = "the number of deputies for the Mazhilis (lower house) has been reduced from 107 to 98"
    assert marked.runs[1] == (quote, True)

    start = CB.index("a foregone conclusion. How-")
    end = CB.index("ever, the reforms") + len("ever, the reforms")
    marked = next(p for p in passage_in_context(CB, start, end) if p.has_mark)
    assert ("a foregone conclusion. However, the reforms", True) in marked.runs
