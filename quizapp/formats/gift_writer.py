"""Write items as GIFT, byte for byte as Moodle's own GIFT exporter does."""

from __future__ import annotations

import re

from quizapp.formats.model import Answer, Item, Text

_RESERVED = str.maketrans({"\\": "\\\\", "#": "\\#", "=": "\\=", "~": "\\~", "{": "\\{", "}": "\\}",
                           ":": "\\:", "\n": "\\n", "\r": ""})


_LEADING_WEIGHT = re.compile(r"%-?[0-9.]+%")


def escape(text: str) -> str:
    """Escape GIFT's control characters and turn newlines into \\n."""
    return text.translate(_RESERVED)


def number(value: float) -> str:
    """A number as Moodle prints it: 100, -50, 33.33333, 0.0005."""
    text = f"{value:.7f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _text(text: Text, default: str = "moodle") -> str:
    prefix = f"[{text.format}]" if text.text and text.format != default else ""
    return prefix + escape(text.text)


def _general_feedback(item: Item, indent: str = "\t") -> str:
    feedback = _text(item.general_feedback, item.text.format)
    if not feedback:
        return ""
    return f"{indent}####{feedback}\n" if indent else f"####{feedback}"


def _metadata_comment(item: Item) -> str:
    parts = [f"[id:{item.idnumber.replace(']', chr(92) + ']')}]"] if item.idnumber else []
    parts += [f"[tag:{tag.replace(']', chr(92) + ']')}]" for tag in item.tags]
    return f"// {' '.join(parts)}\n" if parts else ""


def write_gift(items: list[Item]) -> str:
    """GIFT text for the items; each ends with a blank line, as Moodle writes them."""
    return "".join(_write(item) for item in items)


def _write(item: Item) -> str:
    if item.qtype == "category":
        return f"// question: 0  name: Switch category to {item.category}\n$CATEGORY: {item.category}\n\n"
    out = f"// question: {item.number}  name: {item.name}\n" + _metadata_comment(item)
    out += f"::{escape(item.name)}::" + _text(item.text)
    fmt = item.text.format
    if item.qtype == "description":
        return out + "\n\n"
    if item.qtype == "essay":
        return out + "{" + _general_feedback(item, "") + "}\n\n"
    if item.qtype == "truefalse":
        right = _text(item.feedback_true if item.correct else item.feedback_false, fmt)
        wrong = _text(item.feedback_false if item.correct else item.feedback_true, fmt)
        out += "{" + ("TRUE" if item.correct else "FALSE")
        if wrong or right:
            out += "#" + wrong
        if right:
            out += "#" + right
        return out + _general_feedback(item, "") + "}\n\n"
    out += "{#\n" if item.qtype == "numerical" else "{\n"
    out += "".join(_ANSWER_WRITERS[item.qtype](item, answer) for answer in item.answers)
    if item.qtype == "match":
        out += "".join(f"\t={_text(left, fmt)} -> {escape(right)}\n" for left, right in item.pairs)
    return out + _general_feedback(item) + "}\n\n"


def _multichoice(item: Item, answer: Answer) -> str:
    if answer.fraction == 1 and item.single:
        mark = "="
    elif answer.fraction == 0:
        mark = "~"
    else:
        mark = f"~%{number(answer.fraction * 100)}%"
    text = _text(answer.text, item.text.format)
    if mark == "~" and _LEADING_WEIGHT.match(text):
        # After ~ a choice that begins like a weight ("%50% of GDP") would be read as one: write its own first.
        mark = "~%0%"
    feedback = f"#{_text(answer.feedback, item.text.format)}" if answer.feedback.text else ""
    return f"\t{mark}{text}{feedback}\n"


def _shortanswer(item: Item, answer: Answer) -> str:
    feedback = _text(answer.feedback, item.text.format)
    return f"\t=%{number(answer.fraction * 100)}%{escape(answer.text.text)}#{feedback}\n"


def _numerical(item: Item, answer: Answer) -> str:
    feedback = _text(answer.feedback, item.text.format)
    if answer.text.text in ("", "*"):
        return f"\t~#{feedback}\n"
    tolerance = number(answer.tolerance or 0)
    return f"\t=%{number(answer.fraction * 100)}%{answer.text.text}:{tolerance}#{feedback}\n"


_ANSWER_WRITERS = {
    "multichoice": _multichoice, "shortanswer": _shortanswer, "numerical": _numerical,
    "match": lambda item, answer: "",
}
