"""Right and wrong are told by a mark or a word, never by a tint alone (projectors, grey print, colour blindness)."""

from __future__ import annotations

import re

from quizapp.quiz.present import cloze_feedback

DATA = {"text": "The Mazhilis has {{98}} deputies and the Senate {{50}}.", "blanks": [["98"], ["50"]]}


def test_each_cloze_blank_shows_a_mark_for_right_or_wrong():
    html = str(cloze_feedback(DATA, ["98", "45"], (True, False)))
    right, wrong = re.findall(r'<span class="blank (?:right|wrong)">.*?</span></span>', html)
    # Only the tint told a right blank apart before; the mark is hidden from screen readers, which get words.
    assert '<span aria-hidden="true">✓ </span>98' in right and "(right)" in right
    assert '<span aria-hidden="true">✗ </span><del>45</del> <ins>50</ins>' in wrong
