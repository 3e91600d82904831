"""Write items as Moodle XML, laid out element for element as Moodle's own exporter writes them."""

from __future__ import annotations

import html

from quizapp.formats.gift_writer import number
from quizapp.formats.model import BLANK_END, BLANK_START, Answer, Item, Text
from quizapp.formats.multianswer import write_gap

XML_FORMAT_NAMES = {"html": "html", "moodle": "moodle_auto_format", "plain": "plain_text", "markdown": "markdown"}
_TYPE_NAMES = {"match": "matching"}
WRITABLE = ("category", "multichoice", "truefalse", "shortanswer", "numerical", "match", "cloze", "essay",
            "description")


def xml_escape(text: str) -> str:
    """Text as element content: as it is when nothing needs escaping, else in CDATA (split around ']]>')."""
    if text and (html.escape(text, quote=False) != text or '"' in text):
        return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"
    return text


def _text(value: str, indent: int) -> str:
    return f"{'  ' * indent}<text>{xml_escape(value)}</text>\n"


def _rich(tag: str, text: Text, indent: int = 2) -> str:
    pad = "  " * indent
    fmt = XML_FORMAT_NAMES.get(text.format, "html")
    return f'{pad}<{tag} format="{fmt}">\n{_text(text.text, indent + 1)}{pad}</{tag}>\n'


def write_moodlexml(items: list[Item]) -> str:
    """A Moodle XML <quiz> document holding the items Moodle XML can express."""
    body = "".join(_question(item) for item in items if item.qtype in WRITABLE)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n{body}</quiz>\n'


def _question(item: Item) -> str:
    if item.qtype == "category":
        return (f"<!-- question: 0  -->\n  <question type=\"category\">\n    <category>\n"
                f"{_text(item.category, 3)}    </category>\n{_rich('info', item.category_info)}"
                f"    <idnumber>{html.escape(item.idnumber, quote=False)}</idnumber>\n  </question>\n\n")
    out = f"<!-- question: {item.number}  -->\n  <question type=\"{_TYPE_NAMES.get(item.qtype, item.qtype)}\">\n"
    out += f"    <name>\n{_text(item.name, 3)}    </name>\n"
    out += _rich("questiontext", Text(_with_gaps(item), item.text.format))
    out += _rich("generalfeedback", item.general_feedback)
    if item.qtype != "cloze":
        grade = "0.0000000" if item.qtype == "description" else "1.0000000"
        out += f"    <defaultgrade>{grade}</defaultgrade>\n"
    penalty = {"truefalse": "1.0000000", "essay": "0.0000000", "description": "0.0000000"}.get(item.qtype, "0.3333333")
    out += f"    <penalty>{penalty}</penalty>\n    <hidden>0</hidden>\n"
    out += f"    <idnumber>{html.escape(item.idnumber, quote=False)}</idnumber>\n"
    out += _BODIES.get(item.qtype, lambda _: "")(item)
    if item.tags:
        out += "    <tags>\n" + "".join(f"      <tag>{_text(tag, 0)}</tag>\n" for tag in item.tags) + "    </tags>\n"
    return out + "  </question>\n\n"


def _with_gaps(item: Item) -> str:
    text = item.text.text
    for index, blank in enumerate(item.blanks):
        alternatives = [answer.text.text for answer in blank.answers if answer.fraction > 0.99]
        text = text.replace(f"{BLANK_START}{index}{BLANK_END}", write_gap(alternatives))
    return text


def _answer(answer: Answer, fmt: str, feedback_format: str, extra: str = "") -> str:
    return (f'    <answer fraction="{number(answer.fraction * 100)}" format="{XML_FORMAT_NAMES.get(fmt, "html")}">\n'
            f"{_text(answer.text.text, 3)}{_rich('feedback', Text(answer.feedback.text, feedback_format), 3)}"
            f"{extra}    </answer>\n")


def _combined_feedback() -> str:
    return "".join(_rich(tag, Text("", "html")) for tag in
                   ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"))


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _multichoice(item: Item) -> str:
    out = f"    <single>{_flag(item.single)}</single>\n    <shuffleanswers>{_flag(item.shuffle)}</shuffleanswers>\n"
    out += "    <answernumbering>abc</answernumbering>\n" + _combined_feedback()
    return out + "".join(_answer(a, a.text.format, a.feedback.format or item.text.format) for a in item.answers)


def _truefalse(item: Item) -> str:
    return "".join(
        _answer(Answer(Text(word, "moodle"), 1.0 if value == item.correct else 0.0, feedback), "moodle",
                feedback.format)
        for word, value, feedback in (("true", True, item.feedback_true), ("false", False, item.feedback_false)))


def _shortanswer(item: Item) -> str:
    return "    <usecase>0</usecase>\n" + "".join(
        _answer(a, "moodle", a.feedback.format or item.text.format) for a in item.answers)


def _numerical(item: Item) -> str:
    out = "".join(
        _answer(a, "moodle", a.feedback.format or item.text.format,
                f"      <tolerance>{number(a.tolerance or 0)}</tolerance>\n") for a in item.answers)
    units = [item.unit, *item.unit_aliases] if item.unit else []
    if units:
        out += "    <units>\n" + "".join(
            f"      <unit>\n        <multiplier>1</multiplier>\n        <unit_name>{html.escape(unit, quote=False)}"
            "</unit_name>\n      </unit>\n" for unit in units) + "    </units>\n"
    out += "    <unitgradingtype>0</unitgradingtype>\n    <unitpenalty>0.1000000</unitpenalty>\n"
    return out + f"    <showunits>{0 if units else 3}</showunits>\n    <unitsleft>0</unitsleft>\n"


def _match(item: Item) -> str:
    out = f"    <shuffleanswers>{_flag(item.shuffle)}</shuffleanswers>\n" + _combined_feedback()
    for left, right in item.pairs:
        out += (f'    <subquestion format="{XML_FORMAT_NAMES.get(left.format, "html")}">\n{_text(left.text, 3)}'
                f"      <answer>\n{_text(right, 4)}      </answer>\n    </subquestion>\n")
    return out


def _essay(item: Item) -> str:
    return ("    <responseformat>editor</responseformat>\n    <responserequired>1</responserequired>\n"
            "    <responsefieldlines>15</responsefieldlines>\n    <attachments>0</attachments>\n"
            "    <attachmentsrequired>0</attachmentsrequired>\n" + _rich("graderinfo", Text("", "html"))
            + _rich("responsetemplate", Text("", "html")))


_BODIES = {
    "multichoice": _multichoice, "truefalse": _truefalse, "shortanswer": _shortanswer,
    "numerical": _numerical, "match": _match, "essay": _essay,
}
