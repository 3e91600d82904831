"""How long an upload of a large or repetitive file in another format takes to be converted or refused.

Times quizapp.formats.service.convert_upload with the web upload's question limit, as POST /banks/upload
calls it, on the files that used to run past gunicorn's 30-second worker timeout (many questions, or one
question with a huge list of pairs, choices, answers or gaps), and import_text (the `flask questions
import` path, which has no question limit) on the repetitive ones and the huge single questions. Run from
the repository root:

    .venv/bin/python bench/import_limits.py
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quizapp.authoring.uploads import MAX_QUESTIONS  # noqa: E402
from quizapp.formats.model import FormatError  # noqa: E402
from quizapp.formats.service import convert_upload, import_text  # noqa: E402

# The largest body an upload may have (MAX_CONTENT_LENGTH).
FIVE_MB = 5 * 1024 * 1024


def _repeat(make: Callable[[int], str], count: int | None = None, head: str = "", tail: str = "") -> str:
    """count questions made by make(number), or as many as fit in five megabytes."""
    if count is None:
        count = (FIVE_MB - len(head) - len(tail)) // len(make(10 ** 6).encode())
    return head + "".join(make(number) for number in range(count)) + tail


def _gift(number: int) -> str:
    return f"::q{number}:: What is {number} plus one? {{={number + 1} ~{number + 2}}}\n\n"


def _aiken(number: int) -> str:
    return f"What is {number} plus one?\nA. {number + 1}\nB. {number + 2}\nANSWER: A\n\n"


def _moodlexml(number: int) -> str:
    return (f'<question type="truefalse"><name><text>Q{number}</text></name>'
            f'<questiontext format="plain_text"><text>Is {number} even?</text></questiontext>'
            '<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>'
            "</question>\n")


def _pairs(count: int, name: str = "m") -> str:
    """One GIFT matching question with count pairs."""
    return f"::{name}:: Match each. {{\n" + "".join(f"=l{n} -> r{n}\n" for n in range(count)) + "}\n\n"


def _choices(count: int, name: str = "c") -> str:
    """One GIFT multiple-choice question with count choices, the first right."""
    return f"::{name}:: Pick one. {{=c0 " + "".join(f"~c{n} " for n in range(1, count)) + "}\n\n"


def _xml_question(qtype: str, parts: str) -> str:
    return (f'<quiz>\n<question type="{qtype}"><name><text>Q</text></name>'
            f'<questiontext format="plain_text"><text>Which?</text></questiontext>\n{parts}</question>\n</quiz>\n')


def _xml_pairs(count: int) -> str:
    return _xml_question("matching", "".join(f"<subquestion><text>l{n}</text><answer><text>r{n}</text></answer>"
                                             "</subquestion>\n" for n in range(count)))


def _xml_choices(count: int) -> str:
    return _xml_question("multichoice", "".join(f'<answer fraction="{100 if n == 0 else 0}"><text>c{n}</text>'
                                                "</answer>\n" for n in range(count)))


def _aiken_choices(count: int) -> str:
    return "Pick one?\n" + "".join(f"A. c{n}\n" for n in range(count)) + "ANSWER: A\n"


def _anki_cloze(deletions: int) -> str:
    """One Anki cloze note with that many deletions."""
    return " ".join(f"{{{{c{n}::a{n}}}}}" for n in range(deletions))


# One question as large as the upload limit allows: this many pairs, or choices and answers, fit in 5 MB.
_HUGE_PAIRS, _HUGE = FIVE_MB // len("=l123456 -> r123456\n"), FIVE_MB // len("~c123456 ")
# Anki notes of 7,000 deletions, just under the 128 KB a field may hold, as many as fit in 5 MB.
_CLOZE_NOTE = _anki_cloze(7000)

CASES: list[tuple[str, str, str]] = [
    ("gift: 'Q{T}' x 50,000", "big.gift", "Q{T}\n\n" * 50000),
    ("gift: 8,000 identical", "same.gift", "Q{T}\n\n" * 8000),
    ("gift: 20,000 distinct", "distinct.gift", _repeat(lambda n: f"Q{n}{{T}}\n\n", 20000)),
    ("gift: 5 MB of tiny questions", "tiny.gift", _repeat(lambda n: f"Q{n}{{T}}\n\n")),
    ("gift: 5 MB distinct", "huge.gift", _repeat(_gift)),
    ("gift: 2,000 distinct", "limit.gift", _repeat(_gift, 2000)),
    ("gift: 2,000 identical", "limit-same.gift", "Q{T}\n\n" * 2000),
    ("csv: 'q,a' x 10,000", "same.csv", "q,a\n" * 10000),
    ("csv: 5 MB distinct", "huge.csv", _repeat(lambda n: f"q{n},a\n")),
    ("aiken: 8,000 identical", "same.aiken", _aiken(0) * 8000),
    ("aiken: 5 MB distinct", "huge.aiken", _repeat(_aiken)),
    ("moodlexml: 8,000 identical", "same.xml", _repeat(lambda n: _moodlexml(0), 8000, "<quiz>\n", "</quiz>\n")),
    ("moodlexml: 5 MB distinct", "huge.xml", _repeat(_moodlexml, None, "<quiz>\n", "</quiz>\n")),
    ("anki: 8,000 identical", "same.txt", "#separator:tab\n#html:false\n" + "front\tback\n" * 8000),
    ("anki: 5 MB distinct", "huge.txt", _repeat(lambda n: f"front {n}\tback\n", None, "#separator:tab\n")),
    # One question with a huge list: a matching question becomes one question per pair, each listing every answer.
    ("gift: 1 matching, 500 pairs", "pairs.gift", _pairs(500)),
    ("gift: 1 matching, 1,000 pairs", "pairs.gift", _pairs(1000)),
    ("gift: 1 matching, 5 MB of pairs", "pairs.gift", _pairs(_HUGE_PAIRS)),
    ("gift: 1 question, 50,000 choices", "choices.gift", _choices(50000)),
    ("gift: 1 question, 5 MB of choices", "choices.gift", _choices(_HUGE)),
    ("gift: 1 short answer, 10,000 answers", "answers.gift",
     "::s:: Say it. {" + "".join(f"=a{n} " for n in range(10000)) + "}\n"),
    ("gift: 1 short answer, 5 MB of answers", "answers.gift",
     "::s:: Say it. {" + "".join(f"=a{n} " for n in range(_HUGE)) + "}\n"),
    ("moodlexml: 1 matching, 1,000 pairs", "pairs.xml", _xml_pairs(1000)),
    ("moodlexml: 1 question, 50,000 choices", "choices.xml", _xml_choices(50000)),
    ("moodlexml: 1 cloze, 20,000 gaps", "cloze.xml", _xml_question(
        "cloze", "").replace("Which?", " ".join(f"{{1:SA:=a{n}}}" for n in range(20000)))),
    ("aiken: 1 question, 50,000 choices", "choices.aiken", _aiken_choices(50000)),
    ("anki: 5 MB of cloze notes, 7,000 deletions each", "cloze.txt",
     "#separator:tab\n" + "".join(f"{_CLOZE_NOTE} note {n}\tback\n" for n in range(FIVE_MB // len(_CLOZE_NOTE)))),
    # The largest such questions an upload takes: 50 pairs or choices each, 2,000 questions in all.
    ("gift: 1 matching, 50 pairs", "pairs.gift", _pairs(50)),
    ("gift: 40 matchings of 50 pairs (2,000)", "pairs.gift", "".join(_pairs(50, f"m{n}") for n in range(40))),
    ("gift: 2,000 questions of 50 choices", "choices.gift", "".join(_choices(50, f"c{n}") for n in range(2000))),
]
FORMATS = {".gift": "gift", ".csv": "csv", ".aiken": "aiken", ".xml": "moodlexml", ".txt": "anki"}


# A case still running after this long has overrun a request's timeout anyway; it is stopped.
CAP_SECONDS = 60


def _run(action: Callable[[str, str], str], name: str, text: str, queue: multiprocessing.Queue) -> None:
    start = time.perf_counter()
    outcome = action(name, text)
    queue.put((time.perf_counter() - start, outcome))


def _timed(action: Callable[[str, str], str], name: str, text: str) -> str:
    """The time and outcome of action on one case, run in a child process stopped after CAP_SECONDS."""
    queue: multiprocessing.Queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=_run, args=(action, name, text, queue))
    child.start()
    child.join(CAP_SECONDS)
    if child.is_alive():
        child.terminate()
        child.join()
        return f">{CAP_SECONDS:5d}s  stopped"
    seconds, outcome = queue.get()
    return f"{seconds:7.2f}s  {outcome}"


def _upload(name: str, text: str) -> str:
    try:
        convert_upload(name, text.encode(), FORMATS[name[name.rindex("."):]], {}, max_questions=MAX_QUESTIONS)
    except FormatError as error:
        return f"refused: {str(error)[:60]}"
    return "converted"


def _cli(name: str, text: str) -> str:
    imported = import_text(text, FORMATS[name[name.rindex("."):]], "bench", "Bench")
    return f"{len(imported.questions):,} questions, {len(imported.unreadable):,} unreadable"


def main(selected: list[str]) -> None:
    """Print the time each case takes through the upload path (with the limit) and the CLI path."""
    width = max(len(label) for label, _, _ in CASES)
    print(f"{'file':{width}} {'size':>8}  {'upload':>8}  outcome")
    for label, name, text in CASES:
        if selected and not any(word in label for word in selected):
            continue
        print(f"{label:{width}} {len(text.encode()) / 1024:6.0f}KB  {_timed(_upload, name, text)}", flush=True)
    print(f"\n{'import_text (CLI, no limit)':{width}} {'size':>8}  {'time':>8}  outcome")
    for label, name, text in CASES:
        if not any(word in label for word in ("identical", "x 10,000", "2,000", ": 1 ")) or selected and not any(
                word in label for word in selected):
            continue
        print(f"{label:{width}} {len(text.encode()) / 1024:6.0f}KB  {_timed(_cli, name, text)}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
