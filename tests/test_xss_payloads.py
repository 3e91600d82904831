"""Every XSS payload of the corpus comes out of the Markdown renderer as harmless text, without a browser.

tests/browser/test_xss_corpus.py puts the same payloads into every field of an uploaded bank and looks at the
pages in Chromium; this checks the renderer itself, payload by payload, in each way the pages use it.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import Markup

from quizapp.banks.schema import CLOZE_BLANK
from quizapp.content.markdown import render_inline, render_markdown
from quizapp.quiz.present import cloze_blanks, cloze_html

CORPUS = Path(__file__).resolve().parent / "fixtures" / "xss_payloads.txt"
SAFE_SCHEMES = ("http:", "https:", "mailto:")
BLOCK_TAGS = {"p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr", "h3", "h4", "h5",
              "h6", "table", "thead", "tbody", "tr", "th", "td", "sub", "sup", "del"}
INLINE_TAGS = {"em", "strong", "code", "a", "sub", "sup", "del", "br"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background", "poster", "srcdoc"}


def load_payloads(path: Path = CORPUS) -> list[str]:
    """The corpus: one payload a line, '⏎' for a line break inside one, '#' lines and blank lines skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.replace("⏎", "\n") for line in lines if line.strip() and not line.startswith("#")]


PAYLOADS = load_payloads()


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def parse(fragment: str) -> _Elements:
    parser = _Elements()
    parser.feed(fragment)
    parser.close()
    return parser


def assert_inert(fragment: str, allowed_tags: set[str]) -> _Elements:
    """No element outside the allowlist, no event handler, no script URL, no raw <script."""
    assert not re.search(r"<\s*/?\s*script", fragment, re.I), fragment
    parsed = parse(fragment)
    for tag, attrs in parsed.elements:
        assert tag in allowed_tags, f"<{tag}> in {fragment!r}"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{name}= in {fragment!r}"
            assert name in {"href", "title", "rel", "align", "class", "type", "value", "aria-label", "id", "name"}, (
                f"attribute {name} in {fragment!r}")
            if name in URL_ATTRIBUTES:
                url = re.sub(r"[\x00-\x20]", "", html.unescape(value)).lower()
                scheme = re.match(r"^[a-z][a-z0-9+.-]*:", url)
                assert scheme is None or scheme.group(0) in SAFE_SCHEMES, f"{name}={value!r} in {fragment!r}"
    return parsed


def test_the_corpus_is_large_and_fits_every_field():
    assert len(PAYLOADS) >= 50
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    # A question's topic holds at most 100 characters; every payload must fit any field whole.
    assert max(len(p) for p in PAYLOADS) <= 100
    joined = "\n".join(PAYLOADS).lower()
    for kind in ("<script", "onerror=", "javascript:", "<svg", "<math", "data:", "&#", "](javascript:", "![",
                 "{{7*7}}", '">', "<iframe", "srcdoc"):
        assert kind in joined, f"the corpus has no {kind!r} payload"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_block_markdown_keeps_the_payload_as_text(payload):
    assert_inert(str(render_markdown(payload)), BLOCK_TAGS)
    assert_inert(str(render_markdown(f"Before\n\n{payload}\n\nafter *it*.")), BLOCK_TAGS)
    assert_inert(str(render_markdown(f"- a list item {payload}\n- [a link](https://example.org) {payload}")),
                 BLOCK_TAGS)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_inline_markdown_keeps_the_payload_as_text(payload):
    assert_inert(str(render_inline(payload)), INLINE_TAGS)
    assert_inert(str(render_inline(f"**bold** {payload} `code`")), INLINE_TAGS)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_cloze_texts_with_the_payload_stay_inert(payload):
    text = f"The {{{{first}}}} blank, {payload}, and the {{{{second|2nd}}}} one."
    blanks = len(CLOZE_BLANK.findall(text))
    fill = [Markup('<input class="blank-input" aria-label="Blank {}">').format(i + 1) for i in range(blanks)]
    allowed = BLOCK_TAGS | {"span", "input"}
    assert_inert(str(cloze_blanks(text)), allowed)
    parsed = assert_inert(str(cloze_html(text, fill)), allowed)
    if "```" not in payload:  # a fence swallows what follows it, blanks included
        assert [t for t, _a in parsed.elements if t == "input"] == ["input"] * blanks


def test_most_payloads_are_shown_rather_than_dropped():
    """Raw HTML is shown as text; only Markdown images (not supported) and bare tags may vanish."""
    dropped = [p for p in PAYLOADS if not "".join(parse(str(render_markdown(p))).text).strip()]
    assert all(p.startswith("![") for p in dropped), dropped
    shown = "".join(parse(str(render_markdown("\n\n".join(PAYLOADS)))).text)
    for text in ("<script>window.__xss=1</script>", "<img src=x onerror=alert(1)>", "[md link](javascript:alert(1))",
                 '" onmouseover="alert(1)" x="', "{{7*7}}", "<iframe srcdoc="):
        assert text in shown


def test_a_cloze_blank_never_lands_inside_an_attribute():
    text = '[a link](https://example.org "{{inside}} the title") and {{outside}}.'
    fill = [Markup('<input id="b1">'), Markup('<input id="b2">')]
    rendered = str(cloze_html(text, fill))
    assert 'title="______ the title"' in rendered
    assert rendered.count("<input") == 1 and 'id="b2"' in rendered
    parse(rendered)  # well formed enough to parse


@pytest.mark.parametrize("forged", ["\u2983BLANK0.0\u2984", "&#x2983;BLANK0.0&#x2984;", "&#10627;BLANK0.0&#10628;"])
def test_the_text_cannot_forge_a_blank_token(forged):
    text = f'[t](https://example.org "{forged} onmouseover=alert(1)") {forged} and {{{{answer}}}}'
    rendered = str(cloze_html(text, [Markup('<input id="real">')]))
    elements = parse(rendered).elements
    assert [tag for tag, _attrs in elements] == ["p", "a", "input"], rendered
    assert set(elements[1][1]) == {"href", "title", "rel"} and elements[2][1] == {"id": "real"}


@pytest.mark.parametrize("text", ["{{a}} and {{b}}", "{{a}}{{b}} {{c}}", "**{{a}}** then {{b}}", "x {{a}} {{b}}"])
def test_every_blank_gets_its_input_wherever_it_stands(text):
    count = len(CLOZE_BLANK.findall(text))
    fill = [Markup(f'<input id="b{index}">') for index in range(count)]
    rendered = str(cloze_html(text, fill))
    assert [f'<input id="b{index}">' in rendered for index in range(count)] == [True] * count
    assert "______" not in rendered
    assert str(cloze_blanks(text)).count('class="blank empty"') == count
