"""Quote resolution against the real source texts, including the second text's broken lines."""

from __future__ import annotations

import pytest

from quizapp.banks.checker import check_paths
from quizapp.content.passages import context_bounds, passage_in_context
from quizapp.content.quotes import find_quote, fold, quote_span, span_holds_quote
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


SEATS = "has been reduced from 107 to 98"
SEATS_AT = (OSW.index(SEATS), OSW.index(SEATS) + len(SEATS))


def test_a_stored_span_that_still_holds_the_quote_is_kept():
    assert quote_span(OSW, SEATS, *SEATS_AT) == SEATS_AT
    # a later occurrence of the quote is not traded for the first
    text = f"{OSW}\n\nAgain: it {SEATS}."
    later = (text.rindex(SEATS), text.rindex(SEATS) + len(SEATS))
    assert quote_span(text, SEATS, *later) == later
    # folded as when it was found: curly quotes in the text, straight in the quote
    start = OSW.index("from a ‘super-presidential’ system")
    assert span_holds_quote(OSW, start, start + 34, "from a 'super-presidential' system")


@pytest.mark.parametrize(("start", "end"), [
    (SEATS_AT[0] + 19, SEATS_AT[1] + 19),  # the offsets of an older text
    (None, None), (5, 10**6), (-3, 4), (40, 40),
])
def test_a_span_that_no_longer_holds_the_quote_is_found_again(start, end):
    assert quote_span(OSW, SEATS, start, end) == SEATS_AT


def test_a_quote_gone_from_the_text_has_no_span():
    assert quote_span(OSW.replace(SEATS, "was cut from 107 to 98"), SEATS, *SEATS_AT) is None


def test_every_shipped_quote_holds_at_its_stored_span():
    """The feedback pages take the stored span without searching the text as long as it holds the quote."""
    result = check_paths([QUESTIONS], QUESTIONS)
    sources = [s for bank in result.banks for q in bank.questions for s in q.data["sources"]]
    assert len(sources) > 300
    assert all(span_holds_quote(result.documents[s["document"]].text, s["start"], s["end"], s["quote"])
               for s in sources)


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


def context_of(text: str, quote: str) -> str:
    start = text.index(quote)
    left, right = context_bounds(text, start, start + len(quote))
    return text[left:right].strip()


@pytest.mark.parametrize(("text", "quote", "begins", "ends"), [
    # "U.S." twice before the passage and once after it
    (CB, "the conspicuous absence of the United States", "Meanwhile, the U.S. withdrawal from Afghanistan",
     "met last in December 2021 in the Kazakh capital."),
    # "Mr." before a name
    (CB, "It was partial at the formal level", "Taking a step back, the underlying problem",
     "at times are as important as formal power vested in institutions."),
    (CB, "the January protests largely targeted Nazarbayev personally", "This also means that much more",
     "as the person bringing solutions to the problems they see."),
    # "e.g." inside a parenthesis
    (OSW, "Tokayev remains the political ‘son’ of his predecessor", "Doubts, especially in the long run",
     "to improve state structures in the short-term perspective."),
    # initials of a name
    (CB, "**Albert Barro** is a Project Associate", "**Svante E. Cornell**, Ph.D., is Director", "Joint Center."),
])
def test_context_does_not_break_sentences_at_abbreviations(text, quote, begins, ends):
    context = context_of(text, quote)
    assert context.startswith(begins)
    assert context.endswith(ends)


@pytest.mark.parametrize(("text", "quote", "ends"), [
    (CB, "which criminalized defamation and was often used to persecute oppositional journalists.",
     'but Tokayev revised the verbiage to "incitement."'),
    (CB, "his main concern continues to be political stability", 'and subsequently the "Arab Spring."'),
    (OSW, "the billionaire Timur Kulibayev", "his ex-wife were arrested on charges of embezzlement.[7]"),
])
def test_context_ends_with_the_quotation_marks_and_note_that_close_its_last_sentence(text, quote, ends):
    assert context_of(text, quote).endswith(ends)
