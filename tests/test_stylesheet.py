"""The stylesheet on a projector and on paper: contrast of its colours, and what its print rules keep and drop."""

from __future__ import annotations

import re
from pathlib import Path

CSS = (Path(__file__).resolve().parents[1] / "quizapp" / "static" / "app.css").read_text(encoding="utf-8")


def rules(css: str | None = None) -> list[tuple[str, str, dict[str, str]]]:
    """Each rule as (the at-rule it sits in, or "", its selector, its declarations)."""
    css = re.sub(r"/\*.*?\*/", "", CSS if css is None else css, flags=re.S)
    found: list[tuple[str, str, dict[str, str]]] = []
    outer: list[str] = []
    prelude = ""
    for token in re.split(r"([{}])", css):
        if token == "{":
            outer.append(prelude.strip())
            prelude = ""
        elif token == "}":
            if outer:
                outer.pop()
            prelude = ""
        elif outer and not outer[-1].startswith("@") and token.strip():
            body = dict((name.strip(), value.strip()) for name, _, value in
                        (d.partition(":") for d in token.split(";") if ":" in d))
            found.append((" ".join(outer[:-1]), outer[-1], body))
        elif outer and outer[-1].startswith("@page"):
            found.append((outer[-1], "", dict((n.strip(), v.strip()) for n, _, v in
                                              (d.partition(":") for d in token.split(";") if ":" in d))))
        else:
            prelude += token
    return found


def declared(selector: str, prop: str, media: str = "") -> str | None:
    """The last value the stylesheet gives `prop` in a rule whose selector list holds `selector`."""
    value = None
    for at, selectors, body in rules():
        if at == media and selector in [s.strip() for s in selectors.split(",")] and prop in body:
            value = body[prop]
    return value


def colour(value: str) -> str:
    """A colour value with the custom properties of :root put in."""
    root = {name: v for _, s, body in rules() if s == ":root" for name, v in body.items()}
    while value.startswith("var("):
        value = root[value[4:-1]]
    return value


def contrast(first: str, second: str) -> float:
    """The WCAG 2 contrast ratio of two #rrggbb colours."""
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


PAGE, CARD = colour("var(--bg)"), colour("var(--card)")


def test_text_colours_meet_aa_on_their_backgrounds():
    pairs = [("--fg", "--bg"), ("--fg", "--card"), ("--muted", "--bg"), ("--muted", "--card"), ("--accent", "--card"),
             ("--accent-fg", "--accent"), ("--right", "--right-bg"), ("--right", "--card"),
             ("--wrong", "--wrong-bg"), ("--wrong", "--card"), ("--fg", "--mark"), ("--accent", "--mark")]
    for text, ground in pairs:
        assert contrast(colour(f"var({text})"), colour(f"var({ground})")) >= 4.5, (text, ground)


def test_a_highlighted_passage_is_marked_by_more_than_a_pale_tint():
    # #fff0a6 on white was 1.15:1: gone on a washed-out projector, and on paper printed without backgrounds.
    border = declared("mark", "border-bottom")
    assert border, "a highlight needs a line under it, not only its tint"
    line = colour(border.split()[-1])
    for ground in (PAGE, CARD, colour("var(--mark)")):
        assert contrast(line, ground) >= 3, (line, ground)


def test_the_join_code_poster_prints_on_the_long_side_of_the_sheet():
    assert declared("main:has(.code-poster)", "page", media="@media print") == "wide"
    assert ("@page wide", "", {"size": "landscape"}) in rules()


def test_printing_drops_buttons_and_keeps_the_highlight_and_every_column():
    hidden = [s.strip() for at, selectors, body in rules() if at == "@media print" and body.get("display") == "none"
              for s in selectors.split(",")]
    assert {".site-header", ".button", ".no-print"} <= set(hidden)
    # A scroll box on paper shows what was in view and cuts off the rest.
    assert declared(".table-scroll", "overflow", media="@media print") == "visible"
    # Browsers leave backgrounds out of print unless told: the highlighted passage would go blank.
    assert declared("mark", "print-color-adjust", media="@media print") == "exact"
    assert declared("tr", "break-inside", media="@media print") == "avoid"


def test_printing_keeps_an_items_statistics_and_a_chart_on_one_sheet():
    # Split across sheets, an item's choices sat a page away from its question, and a chart from its title.
    assert declared(".card", "break-inside", media="@media print") == "avoid"
    assert declared("figure.chart", "break-inside", media="@media print") == "avoid"
    # "Data table" opens nothing on paper.
    assert declared("figure.chart details:not([open])", "display", media="@media print") == "none"
