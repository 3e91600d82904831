"""Moodle's own GIFT tests: its import assertions, comment metadata, exact export text, and fixture files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from quizapp.formats.conformance import Suite
from quizapp.formats.conformance.compare import describe, differences
from quizapp.formats.gift import comment_metadata, read_gift
from quizapp.formats.gift_writer import write_gift
from quizapp.formats.model import Answer, Item, Text

_M, _H, _P, _MD = "moodle", "html", "plain", "markdown"
_SPECTRUM = "What's between orange and green in the spectrum?"
_ANIMAL = "Which is the best animal?"
_ABSOLUTE = "42 is the Absolute Answer to everything."
_ANIMAL_ANSWERS = [("Frog", 1.0, "Good!"), ("Cat", 0.5, "What is it with Moodlers and cats?"),
                   ("*", 0.0, "Completely wrong")]
_MATCH_TEXT = (_H, "Match the <b>activity</b> to the description.")
_MATCH_PAIRS = [(_H, "An activity supporting asynchronous discussions.", "Forum"),
                (_M, "A teacher asks a question and specifies a choice of multiple responses.", "Choice"),
                (_P, "A bank of record entries which participants can add to.", "Database"),
                (_MD, "A collection of web pages that anyone can add to or edit.", "Wiki"),
                (_H, "", "Chat")]
_PRE = ("<p>What would running the test method print?</p>\n<pre>\n    public void test() {\n        method1();\n"
        "        method2();\n        method3();\n    }\n</pre>")

# §1 of EXPECTED.md: what Moodle's import tests assert for each unit_import file.
IMPORTS: dict[str, dict[str, Any]] = {
    "test_import_essay": {"qtype": "essay", "name": "Q8", "text": (_M, "How are you?"), "general_feedback": (_M, "")},
    "test_import_match": {"qtype": "match", "name": "Moodle activities", "text": _MATCH_TEXT, "pairs": _MATCH_PAIRS,
                          "shuffle": True, "general_feedback": (_H, "")},
    "test_import_multichoice": {
        "qtype": "multichoice", "name": "Q2", "text": (_M, _SPECTRUM), "single": True, "shuffle": True,
        "general_feedback": (_M, ""),
        "answers": [(_M, "yellow", 1.0, _M, "right; good!"), (_M, "red", 0.0, _H, "wrong, it's yellow"),
                    (_P, "blue", 0.0, _M, "wrong, it's yellow")]},
    "test_import_multichoice_multi": {
        "qtype": "multichoice", "name": "colours", "text": (_M, _SPECTRUM), "single": False,
        "answers": [(_M, "yellow", 0.5, _M, "right; good!"), (_M, "red", -1.0, _H, "wrong"),
                    (_M, "off-beige", 0.5, _M, "right; good!"), (_P, "blue", -1.0, _M, "wrong")]},
    "test_import_multichoice_multi_tricky": {
        "qtype": "multichoice", "name": "colours", "text": (_M, _SPECTRUM), "single": False,
        "answers": [(_M, "yellow", 1.0, _M, "right; good!"), (_M, "red", -0.5, _M, "wrong"),
                    (_M, "blue", -0.5, _M, "wrong")]},
    "test_import_numerical": {"qtype": "numerical", "name": "Q5", "text": (_M, "What is a number from 1 to 5?"),
                              "answer_texts": [("3", 1.0, ""), ("*", 0.0, "Completely wrong")],
                              "tolerances": [2.0, None], "general_feedback": (_M, "")},
    "test_import_shortanswer": {"qtype": "shortanswer", "name": "Shortanswer", "text": (_M, _ANIMAL),
                                "answer_texts": _ANIMAL_ANSWERS, "general_feedback": (_M, "")},
    "test_import_shortanswer_with_general_feedback": {
        "qtype": "shortanswer", "name": "Shortanswer", "text": (_M, _ANIMAL), "answer_texts": _ANIMAL_ANSWERS,
        "general_feedback": (_H, "Here is some general feedback!")},
    "test_import_truefalse": {"qtype": "truefalse", "name": "Q1", "text": (_M, _ABSOLUTE),
                              "correct": False, "feedback_true": (_M, "42 is the Ultimate Answer."),
                              "feedback_false": (_M, "You gave the right answer."), "general_feedback": (_M, "")},
    "test_import_truefalse_true_answer1": {"qtype": "truefalse", "name": "2-08 TSL", "text": (_M, "TSL is blablabla."),
                                           "correct": True, "feedback_true": (_M, ""), "feedback_false": (_M, "")},
    "test_import_truefalse_true_answer2": {"qtype": "truefalse", "name": "2-08 TSL", "text": (_M, "TSL is blablabla."),
                                           "correct": True, "feedback_true": (_M, ""), "feedback_false": (_M, "")},
    "test_import_backslash": {"qtype": "essay", "name": "double backslash", "exact_text": "A \\ B \\\\ C"},
    "test_import_pre_content": {"qtype": "essay", "name": "Q001", "text_format": _H, "exact_text": _PRE,
                                "general_feedback": (_H, "")},
    "test_import_question_with_tags": {"qtype": "essay", "name": "Question name", "text": (_M, "How are you?"),
                                       "tags": ["tag", "other-tag"], "idnumber": "myid"},
}

# §1b: comment lines, and the idnumber and tags Moodle takes from them.
COMMENTS = [
    ([], "", []),
    (["// A basic comment."], "", []),
    (["// A comment with [id:frog] <-- an idnumber."], "frog", []),
    (["// Look tags: [tag:frog] [tag:toad]."], "", ["frog", "toad"]),
    (["// [tag:add] [tag:basic] [id:four]"], "four", ["add", "basic"]),
    (["// [tag:  basic] Here is  ", "// a [id:   four   ] que[tag:add   ]stion."], "four", ["basic", "add"]),
    (["// Ceci n\\'est pas une [tag:", "\\ frog]."], "", []),
    (["// [id:i\\]d]."], "i]d", []),
    (["// [tag:t\\]ag]."], "", ["t]ag"]),
]


def _t(fmt: str, text: str) -> Text:
    return Text(text, fmt)


def _answers(rows: list[tuple]) -> list[Answer]:
    return [Answer(_t(fmt, text), fraction, _t(ffmt, feedback), tolerance)
            for fmt, text, fraction, ffmt, feedback, tolerance in rows]


def export_inputs() -> dict[str, Item]:
    """§2: the objects Moodle's export tests start from (question ids set to the ones in the files)."""
    spectrum = _t(_M, _SPECTRUM)
    animal = _answers([(_P, text, fraction, _M, feedback, None) for text, fraction, feedback in _ANIMAL_ANSWERS])
    pairs = [(_t(fmt, text), right) for fmt, text, right in _MATCH_PAIRS]
    pairs[0] = (_t(_H, '<div class="frog">An activity supporting asynchronous discussions.</div>'), "Forum")
    return {
        "test_export_essay": Item("essay", name="Q8", text=_t(_M, "How are you?"), number=666),
        "test_export_backslash": Item("essay", name="backslash", text=_t(_M, "A \\ B \\\\ C"), number=666),
        "test_export_match": Item("match", name="Moodle activities", text=_t(*_MATCH_TEXT), pairs=pairs, number=666),
        "test_export_multichoice": Item("multichoice", name="Q8", text=spectrum, number=666, answers=_answers([
            (_M, "yellow", 1.0, _M, "right; good!", None), (_M, "red", 0.0, _H, "wrong, it's yellow", None),
            (_P, "blue", 0.0, _M, "wrong, it's yellow", None)])),
        "test_export_multichoice_multi_tricky": Item("multichoice", name="Q8", text=spectrum, single=False,
                                                     number=666, answers=_answers([
            (_M, "yellow", 1.0, _M, "right; good!", None), (_M, "red", -0.5, _M, "wrong, it's yellow", None),
            (_M, "blue", -0.5, _M, "wrong, it's yellow", None)])),
        "test_export_numerical": Item("numerical", name="Q5", text=_t(_M, "What is a number from 1 to 5?"), number=666,
                                      answers=_answers([(_P, "3", 1.0, _M, "", 2.0),
                                                        (_P, "*", 0.0, _M, "Completely wrong", None)])),
        "test_export_shortanswer": Item("shortanswer", name="Shortanswer", text=_t(_M, _ANIMAL), answers=animal,
                                        number=666),
        "test_export_shortanswer_with_general_feedback": Item(
            "shortanswer", name="Shortanswer", text=_t(_M, _ANIMAL), answers=animal, number=666,
            general_feedback=_t(_H, "Here is some general feedback!")),
        "test_export_truefalse": Item("truefalse", name="Q1", text=_t(_M, _ABSOLUTE),
                                      correct=True, feedback_true=_t(_M, "You gave the right answer."),
                                      feedback_false=_t(_H, "42 is the Ultimate Answer."), number=666),
        "test_export_question_with_tags_and_idnumber": Item(
            "truefalse", name="True/false question", text=_t(_H, "The answer is true."), correct=True,
            feedback_true=_t(_H, "This is the right answer."), feedback_false=_t(_H, "This is the wrong answer."),
            general_feedback=_t(_H, "You should have selected true."), idnumber="myid", tags=["tag1", "tag2"],
            number=1234),
    }


def _meaning(item: Item) -> dict[str, Any]:
    """The fields an exported item must keep when read back."""
    keys = {"qtype", "name", "text", "answers", "single", "pairs", "correct", "tags", "idnumber", "tolerances"}
    found = describe(item)
    if item.qtype == "truefalse":
        keys |= {"feedback_true", "feedback_false"}
    if item.qtype in ("shortanswer", "numerical"):
        keys = (keys - {"answers"}) | {"answer_texts"}
    if item.general_feedback:
        keys.add("general_feedback")
    return {key: found[key] for key in keys}


def run(shared: Path) -> Suite:
    """All of Moodle's GIFT assertions."""
    suite = Suite("gift-moodle", "assertions")
    folder = shared / "gift" / "moodle"
    for name, expected in IMPORTS.items():
        parsed = read_gift((folder / "unit_import" / f"{name}.gift.txt").read_text(encoding="utf-8"))
        items = parsed.questions
        if len(items) != 1 or parsed.problems:
            suite.check(name, False, f"expected one question, got {len(items)} and problems {parsed.problems}")
            continue
        item = items[0]
        wanted = {k: v for k, v in expected.items() if k not in ("exact_text", "text_format")}
        problems = differences(wanted, item)
        if "exact_text" in expected and item.text.text != expected["exact_text"]:
            problems.append(f"text: expected {expected['exact_text']!r}, got {item.text.text!r}")
        if "text_format" in expected and item.text.format != expected["text_format"]:
            problems.append(f"text format: expected {expected['text_format']}, got {item.text.format}")
        suite.check(name, not problems, "; ".join(problems))
    for number, (lines, idnumber, tags) in enumerate(COMMENTS, start=1):
        found = comment_metadata([line for line in lines if line.strip().startswith("//")])
        suite.check(f"comment metadata {number}", found == (idnumber, tags),
                    f"{lines!r}: expected {(idnumber, tags)!r}, got {found!r}")
    for name, item in export_inputs().items():
        expected_text = (folder / "unit_export" / f"{name}.gift.txt").read_text(encoding="utf-8")
        written = write_gift([item])
        suite.check(f"{name} (export)", written == expected_text, f"expected {expected_text!r}, wrote {written!r}")
        back = read_gift(expected_text).questions
        problems = ["expected one question"] if len(back) != 1 else differences(_meaning(item), back[0])
        suite.check(f"{name} (reads back)", not problems, "; ".join(problems))
    _fixtures(suite, folder)
    return suite


def _fixtures(suite: Suite, folder: Path) -> None:
    parsed = read_gift((folder / "questions.gift.txt").read_text(encoding="utf-8"))
    questions = parsed.questions
    suite.check("questions.gift.txt: 9 questions", len(questions) == 9 and not parsed.problems,
                f"{len(questions)} questions, problems {parsed.problems}")
    suite.check("questions.gift.txt: the spectrum question", any(_SPECTRUM in q.text.text for q in questions),
                "no question text holds it")
    suite.check("questions.gift.txt: 'colours'", any(q.name == "colours" for q in questions), "no such name")
    size = len(write_gift(questions).encode("utf-8"))
    suite.check("questions.gift.txt: re-export of 1650 to 1800 bytes", 1650 <= size <= 1800, f"{size} bytes")
    parsed = read_gift((folder / "questions_in_category.gift.txt").read_text(encoding="utf-8"))
    categories = [item.category for item in parsed.items if item.qtype == "category"]
    suite.check("questions_in_category.gift.txt: category and 4 questions",
                categories == ["$course$/Default for New Features"] and len(parsed.questions) == 4
                and [q.qtype for q in parsed.questions] == ["match", "multichoice", "shortanswer", "truefalse"],
                f"categories {categories}, types {[q.qtype for q in parsed.questions]}")
    parsed = read_gift((folder / "examples.txt").read_text(encoding="utf-8"))
    suite.check("examples.txt: 43 questions", len(parsed.questions) == 43 and not parsed.problems,
                f"{len(parsed.questions)} questions, problems {parsed.problems}")
