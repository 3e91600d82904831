"""The Anki 2.1.55+ text export: header lines, cloze notes, CJK text kept as it is."""

from __future__ import annotations

import csv
from pathlib import Path

from quizapp.formats.anki import read_anki
from quizapp.formats.conformance import Suite
from quizapp.formats.convert import convert_items

KANGXI = "kangxi-radicals_radical-anki-cards.txt"
SUPPLEMENT = "⺮⺲⺿⻂⻊⻏⻖⻗"  # CJK Radicals Supplement characters the file holds


def run(shared: Path) -> Suite:
    """What EXPECTED.md says about the kangxi export."""
    suite = Suite("anki", "checks")
    text = (shared / "anki" / KANGXI).read_text(encoding="utf-8")
    rows = [row for row in csv.reader(text.splitlines(), delimiter="\t") if row and not row[0].startswith("#")]
    parsed = read_anki(text)
    notes = parsed.questions
    suite.check("186 notes, each with 5 columns", len(notes) == 186 and all(len(row) == 5 for row in rows),
                f"{len(notes)} notes; column counts {sorted({len(row) for row in rows})}")
    suite.check("every note is a cloze with 2 deletions and the tag 'radical'",
                all(n.qtype == "cloze" and len(n.blanks) == 2 and n.tags == ["radical"] for n in notes),
                f"{[(n.line, n.qtype, len(n.blanks), n.tags) for n in notes if len(n.blanks) != 2][:3]}")
    conversion = convert_items(parsed.items, "Kangxi radicals")
    suite.check("all 186 become cloze questions, with nothing reported", len(conversion.questions) == 186
                and not conversion.problems and not parsed.problems, f"{conversion.problems[:3]}")
    texts = "\n".join(question["text"] for question in conversion.questions)
    missing = [char for char in SUPPLEMENT if char in text and char not in texts]
    suite.check("CJK Radicals Supplement characters kept as they are (no NFKC)",
                not missing and all(char in text for char in SUPPLEMENT), f"lost {missing}")
    suite.check("answers with spaces and hyphens kept",
                "{{short-tailed bird}}" in texts and "{{moon or meat}}" in texts, "not found")
    first = conversion.questions[0]["text"] if conversion.questions else ""
    suite.check("HTML styling dropped, text and blanks kept", first == "{{一}} is the radical for {{one}}",
                f"got {first!r}")
    return suite
