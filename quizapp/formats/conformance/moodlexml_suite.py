"""Moodle's XML tests: nested categories on import, and HTML characters in idnumbers on export."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: N817
from pathlib import Path

from quizapp.formats.conformance import Suite
from quizapp.formats.convert import convert_items, topic_of
from quizapp.formats.model import Item, Text
from quizapp.formats.moodlexml import parse_xml, read_moodlexml
from quizapp.formats.moodlexml_writer import write_moodlexml

CATEGORIES = {  # path: (info text, info format, parent path)
    "$course$/Iota": ("This is Iota category for test", "plain", "$course$"),
    "$course$/Iota/Kappa": ("This is Kappa category for test", "markdown", "$course$/Iota"),
    "$course$/Iota/Kappa/Lambda": ("This is Lambda category for test", "moodle", "$course$/Iota/Kappa"),
    "$course$/Iota/Mu": ("This is Mu category for test", "moodle", "$course$/Iota"),
}
PLACES = {"Iota Question": "Iota", "Kappa Question": "Kappa", "Lambda Question": "Lambda", "Mu Question": "Mu"}


def _tree(element: ET.Element) -> tuple:
    """An element as nested tuples, ignoring white space between elements (comments are already gone)."""
    return (element.tag, sorted(element.attrib.items()), (element.text or "").strip(),
            [_tree(child) for child in element])


def export_input() -> list[Item]:
    """The category and question Moodle's export test starts from."""
    return [Item("category", category="$course$/Alpha", category_info=Text("This is Alpha category for test"),
                 idnumber="The inequalities < & >"),
            Item("truefalse", name="Alpha Question", text=Text("<p>Testing Alpha Question</p>", "html"),
                 general_feedback=Text("", "html"), idnumber="T & F", correct=True,
                 feedback_true=Text("", "html"), feedback_false=Text("", "html"), number=91)]


def run(shared: Path) -> Suite:
    """Every Moodle XML assertion."""
    suite = Suite("moodlexml-moodle", "assertions")
    folder = shared / "moodlexml" / "moodle"
    parsed = read_moodlexml((folder / "nested_categories_with_questions.xml").read_text(encoding="utf-8"))
    categories = {item.category: item for item in parsed.items if item.qtype == "category"}
    for path, (info, fmt, parent) in CATEGORIES.items():
        item = categories.get(path)
        found = (item.category_info.text, item.category_info.format, path.rsplit("/", 1)[0]) if item else None
        suite.check(f"category {path}", found == (info, fmt, parent), f"got {found}")
    current, places = "", {}
    for item in parsed.items:
        if item.qtype == "category":
            current = topic_of(item.category)
        else:
            places[item.name] = current
    for name, place in PLACES.items():
        suite.check(f"{name} lands in {place}", places.get(name) == place, f"got {places.get(name)}")
    questions = parsed.questions
    tf = [q for q in questions if q.qtype == "truefalse"]
    suite.check("5 questions: 4 true/false (true is right) and an essay",
                len(questions) == 5 and len(tf) == 4 and all(q.correct for q in tf)
                and all(q.text == Text(f"<p>Testing {q.name}</p>", "html") for q in tf)
                and all(q.idnumber == "" for q in questions), f"{[(q.qtype, q.name) for q in questions]}")
    conversion = convert_items(parsed.items, "Test")
    essay = [p for p in conversion.problems if p.skipped and "essay" in p.reason]
    suite.check("the essay is reported with its line, not dropped", len(conversion.questions) == 4 and
                len(essay) == 1 and essay[0].line > 1, f"{conversion.problems}")
    expected = (folder / "html_chars_in_idnumbers.xml").read_text(encoding="utf-8")
    written = write_moodlexml(export_input())
    suite.check("html_chars_in_idnumbers.xml (export, compared as XML)",
                _tree(parse_xml(written)[0]) == _tree(parse_xml(expected)[0]), f"wrote {written!r}")
    back = read_moodlexml(expected).items
    suite.check("html_chars_in_idnumbers.xml reads back: idnumbers decoded once, CDATA text not decoded again",
                len(back) == 2 and back[0].idnumber == "The inequalities < & >" and back[1].idnumber == "T & F"
                and back[1].text == Text("<p>Testing Alpha Question</p>", "html") and back[1].correct,
                f"{[(i.idnumber, i.text) for i in back]}")
    return suite
