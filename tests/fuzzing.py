"""Shared pieces of the property-based tests: settings profiles, seed banks and their mutations.

HYPOTHESIS_PROFILE=ci runs ten times the examples of the default profile, which keeps `make test` quick.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from quizapp.banks import checker
from quizapp.content.documents import load_catalogue
from tests.conftest import FIXTURE_BANKS, QUESTIONS

_SCALE = {"dev": 1, "ci": 10}
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow],
                          print_blob=True)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
settings.load_profile(PROFILE if PROFILE in _SCALE else "dev")


def fuzz(examples: int) -> settings:
    """Settings for one property: `examples` cases in the default profile, more under HYPOTHESIS_PROFILE=ci."""
    return settings(max_examples=examples * _SCALE.get(PROFILE, 1), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large, HealthCheck.filter_too_much])


# The catalogue of source texts is not what these tests fuzz: read it once instead of for every example.
_DOCUMENTS = load_catalogue(QUESTIONS / checker.SOURCES_DIR)
for _document in _DOCUMENTS.values():
    _ = _document.folded
DOCUMENTS = _DOCUMENTS


@contextmanager
def cached_catalogue() -> Iterator[None]:
    """Let check_paths use the catalogue read above."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(checker, "load_catalogue", lambda _path: _DOCUMENTS)
        yield


_QUESTION_START = re.compile(r"^ *- id:", re.MULTILINE)


def _seeds() -> list[tuple[str, str]]:
    """(bank.yaml, questions file) pairs: the fixture bank, and a few questions of each real bank file."""
    seeds = [((FIXTURE_BANKS / "bank" / "bank.yaml").read_text(encoding="utf-8"),
              (FIXTURE_BANKS / "bank" / "questions.yaml").read_text(encoding="utf-8"))]
    for folder in sorted(p for p in QUESTIONS.iterdir() if (p / "bank.yaml").exists()):
        meta = (folder / "bank.yaml").read_text(encoding="utf-8")
        for path in sorted(folder.glob("*.yaml")):
            if path.name == "bank.yaml":
                continue
            text = path.read_text(encoding="utf-8")
            starts = [m.start() for m in _QUESTION_START.finditer(text)] + [len(text)]
            # The file's header and its first three questions: enough variety, small enough to check fast.
            seeds.append((meta, text[: starts[min(3, len(starts) - 1)]]))
    return seeds


SEEDS = _seeds()
SEED_TREES = [(yaml.safe_load(meta), yaml.safe_load(questions)) for meta, questions in SEEDS]

FIELD_NAMES = ["id", "type", "prompt", "explanation", "source", "topic", "tags", "difficulty", "choices",
               "answer", "answers", "shuffle", "tolerance", "unit", "unit_aliases", "text", "front", "back",
               "document", "quote", "feedback", "title", "description", "sources", "questions", "bank", "<<",
               "unknown"]
TYPES = ["single_choice", "multiple_response", "true_false", "numeric", "short_text", "cloze", "flashcard", "essay"]

# Plain values of every kind YAML can hold, and ones that have crashed parsers and checkers.
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**15, max_value=10**120),
    st.floats(), st.text(max_size=40), st.text(st.characters(categories=["Cs", "Cc", "Zs"]), max_size=4),
    st.binary(max_size=8), st.dates(), st.sampled_from(TYPES + FIELD_NAMES + [
        "osw-2022", "cornell-barro-2022", "recall", "Basic Law", "98", "29.4%", "{{98}}", "{{}}", "{{a|}}", "%",
        "1e999", "-0", "", " ", "\u00a0", "\u202e", "x" * 300]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=6), inner, max_size=4),
                      max_leaves=8)

# Fragments of YAML syntax, tags, anchors and escapes that a text mutation splices in.
SNIPPETS = st.sampled_from([
    "&a ", "*a", "&b [*a, *a]", "<<: *a", "!!binary aGk=", "!!python/object:os.system ls", "!!set {a}", "!!omap",
    "!!timestamp x", "!!float x", "!!int 0x", "!!bool maybe", "!!str", "!!map [1]", "2022-13-45", "{", "}", "[",
    "]", ": ", "- ", "? ", "|", ">", "'", '"', "#", "%YAML 1.1\n", "---\n", "...\n", "\t", "\n", "\n  ", "  ",
    '"\\0"', '"\\ud800"', '"\\x85"', ".nan", ".inf", "-.inf", "9" * 200, "0x" + "f" * 120, "1_000", "~", "null",
    "\ufeff", "\u2028", "\x85", "{{", "}}", "{{98}}", "@", "`", "*undefined", "&a &b", "x: !!seq {a: 1}",
])


def bomb(levels: int, width: int) -> str:
    """A 'billion laughs' document: each anchor holds `width` aliases of the one before."""
    lines = ["a0: &a0 [lol]"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]")
    lines += [f"bank: {{id: bomb, title: Bomb, description: *a{levels}}}", f"questions: *a{levels}"]
    return "\n".join(lines) + "\n"


def deep(depth: int, shape: str) -> str:
    """A bank whose questions nest `depth` levels deep."""
    head = "bank: {id: deep, title: Deep}\nquestions:"
    if shape == "flow":
        return f"{head} {'[' * depth}{']' * depth}\n"
    if shape == "mapping":
        return f"{head} [{'{a: ' * depth}1{'}' * depth}]\n"
    return head + "\n" + "".join("  " * level + "- \n" for level in range(min(depth, 400)))


HOSTILE = st.one_of(
    st.builds(bomb, st.integers(1, 12), st.integers(2, 12)),
    st.builds(deep, st.integers(41, 5000), st.sampled_from(["flow", "mapping", "block"])),
    st.sampled_from([
        "bank: &b {id: rec, title: R, description: *b}\nquestions: []\n",
        "bank: {id: rec, title: R}\nquestions: &q [*q]\n",
        "bank: {id: rec, title: R}\nquestions:\n- &q {id: a, type: flashcard, front: *q, back: b}\n",
        "bank: {id: big, title: B}\nquestions:\n- {id: a, type: numeric, answer: %s, prompt: p}\n" % ("9" * 5000),
        "bank: {id: big, title: B}\nquestions:\n- {id: a, type: numeric, answer: '%sx', prompt: p}\n" % (" " * 3000),
        "bank: {id: cl, title: C}\nquestions:\n- {id: a, type: cloze, text: '%s'}\n" % ("{{" * 20000),
    ]),
)


@st.composite
def mutated_text(draw: st.DrawFn, text: str) -> str:
    """A few text edits: slices cut, lines doubled or re-indented, snippets or random text spliced in."""
    for _ in range(draw(st.integers(1, 4))):
        lines = text.split("\n")
        operation = draw(st.sampled_from(["cut", "splice", "line", "double", "indent", "truncate"]))
        at = draw(st.integers(0, len(text)))
        if operation == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif operation == "splice":
            text = text[:at] + draw(SNIPPETS | st.text(max_size=12)) + text[at:]
        elif operation in ("line", "double", "indent"):
            index = draw(st.integers(0, len(lines) - 1))
            if operation == "line":
                lines[index] = draw(SNIPPETS | st.text(max_size=30))
            elif operation == "double":
                lines.insert(index, lines[index])
            else:
                lines[index] = " " * draw(st.integers(0, 6)) + lines[index].lstrip()
            text = "\n".join(lines)
        else:
            text = text[:at]
    return text


@st.composite
def mutated_tree(draw: st.DrawFn, tree: object) -> object:
    """The parsed bank with a few fields replaced, removed, added or shared (shared values dump as aliases)."""
    tree = yaml.safe_load(yaml.safe_dump(tree))  # a private copy
    containers = _containers(tree)
    for _ in range(draw(st.integers(1, 4))):
        container = draw(st.sampled_from(containers))
        operation = draw(st.sampled_from(["set", "delete", "share", "type"]))
        if isinstance(container, dict):
            key = draw(st.sampled_from(sorted(container) or ["id"]) | st.sampled_from(FIELD_NAMES))
            if operation == "delete":
                container.pop(key, None)
            elif operation == "share":
                container[key] = draw(st.sampled_from(containers))
            elif operation == "type":
                container["type"] = draw(st.sampled_from(TYPES))
            else:
                container[key] = draw(VALUES)
        elif container:
            index = draw(st.integers(0, len(container) - 1))
            if operation == "delete":
                del container[index]
            elif operation == "share":
                container.append(container[index])
            else:
                container[index] = draw(VALUES)
    return tree


def _containers(tree: object) -> list[object]:
    found, stack = [], [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict | list):
            found.append(node)
            stack.extend(node.values() if isinstance(node, dict) else node)
    return found or [{}]


def dump(tree: object) -> str:
    """YAML for a tree; the dumper writes anchors and aliases for shared values, and refuses recursive ones."""
    try:
        return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, RecursionError):
        return "questions: []\n"


def write_bank(folder: Path, meta: str | bytes, questions: str | bytes) -> list[Path]:
    """A bank folder holding bank.yaml and questions.yaml; the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    files = [folder / "bank.yaml", folder / "questions.yaml"]
    for path, content in zip(files, (meta, questions), strict=True):
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    return files


def key_answer(qtype: str, data: dict) -> object:
    """The answer a checker must accept for a question's stored data, in the checkers' terms."""
    if qtype == "single_choice":
        return data["correct"][0]
    if qtype == "multiple_response":
        return list(data["correct"])
    if qtype == "true_false":
        return data["answer"]
    if qtype == "numeric":
        return format(Decimal(repr(data["answer"])), "f")  # every digit written out, no exponent
    if qtype == "short_text":
        return data["answers"][0]
    if qtype == "cloze":
        return [alternatives[0] for alternatives in data["blanks"]]
    return "knew"
