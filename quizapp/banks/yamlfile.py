"""YAML parsing that remembers the line of every mapping and key, for precise error messages.

Bank files come from instructors' uploads too, so the parser refuses what no bank needs and a hostile file
could use to exhaust the server: deep nesting, aliases that expand to huge or recursive structures,
numbers too long to print, and text that cannot be stored (NUL characters, lone surrogates).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.error import Mark
from yaml.events import AliasEvent, CollectionStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# Bank files nest about six levels; anything far deeper is not a bank.
MAX_DEPTH = 40
# Nodes that aliases may add on top of the document as written: generous for shared sources and choices.
MAX_ALIAS_NODES = 100_000
# Integers longer than this are not answers anyone types, and Python refuses to print some of them.
MAX_INT_DIGITS = 100
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class LineDict(dict):
    """A mapping that knows the line it starts on and the line of each of its keys."""

    line: int = 1
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """The line a key stands on, or the mapping's own line if the key is absent."""
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list that knows the line each of its items starts on."""

    item_lines: list[int]

    def line_of_item(self, index: int) -> int:
        """The line the item at that index starts on."""
        return self.item_lines[index]


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader with limits on depth and alias expansion, and errors that carry a line."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._newlines = [match.start() for match in re.finditer("\n", stream)]
        self._depth = 0
        self._open_anchors: set[str] = set()
        self._alias_nodes = 0
        self._measures: dict[int, tuple[int, int]] = {}
        # The last quoted value read: one left unclosed runs on to the next quote, and the error comes there.
        self.last_quoted: tuple[Mark, Mark] | None = None

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        """Compose as PyYAML does, refusing nesting too deep and aliases that contain themselves or expand too far."""
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            return self._compose_alias(event)
        self._depth += 1
        anchor = event.anchor if isinstance(event, CollectionStartEvent) else None
        try:
            if self._depth > MAX_DEPTH:
                raise ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
            if anchor is not None:
                self._open_anchors.add(anchor)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1
            if anchor is not None:
                self._open_anchors.discard(anchor)

    def _compose_alias(self, event: AliasEvent) -> Node:
        if event.anchor in self._open_anchors:
            raise ComposerError(None, None, f"alias *{event.anchor} refers to a structure that contains it",
                                event.start_mark)
        node = super().compose_node(None, None)
        size, depth = _measure(node, self._measures)
        self._alias_nodes += size
        if self._alias_nodes > MAX_ALIAS_NODES:
            raise ComposerError(None, None, "aliases expand to far more than a bank could hold", event.start_mark)
        if self._depth + depth > MAX_DEPTH:
            raise ComposerError(None, None, f"alias *{event.anchor} nests more than {MAX_DEPTH} levels deep",
                                event.start_mark)
        return node

    def scan_flow_scalar(self, style: str) -> Any:
        """Scan a quoted value as PyYAML does, remembering where it starts and ends."""
        token = super().scan_flow_scalar(style)
        self.last_quoted = (token.start_mark, token.end_mark)
        return token

    def compose_mapping_node(self, anchor: str | None) -> MappingNode:
        """Compose as PyYAML does, refusing a key written twice: PyYAML would keep the last value silently, so
        a second `source:` or `answer:` would drop the first without a word."""
        node = super().compose_mapping_node(anchor)
        first: dict[tuple[str, str], Mark] = {}
        for key_node, _value in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            seen = first.setdefault((key_node.tag, key_node.value), key_node.start_mark)
            if seen is not key_node.start_mark:
                name, line = _one_line(key_node.value)[:60], self.line_at(seen)
                raise ComposerError(None, None, f"field '{name}' is written twice (first on line {line}): write each "
                                    "field once, with a list for several values", key_node.start_mark)
        return node

    def line_at(self, mark: Mark) -> int:
        """The line of a mark as editors and grep count it: YAML also breaks lines at U+2028, U+0085 and CR."""
        return bisect_right(self._newlines, mark.index - 1) + 1

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        """Construct as PyYAML does, turning a value its constructors cannot read into an error that names it."""
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError) as error:
            # PyYAML's own constructors fail this way on values such as 2022-13-45 or `!!bool maybe`.
            detail = f" ({error})" if isinstance(error, ValueError) else ""
            raise ConstructorError(None, None, f"cannot read this {_tag_name(node)} value{detail}",
                                   node.start_mark) from error


def _measure(node: Node, known: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """How many nodes a complete node stands for once its aliases are expanded, and how deep it nests.

    Every alias was measured when it was composed, so the recursion only walks nodes written out in full,
    which MAX_DEPTH bounds."""
    measured = known.get(id(node))
    if measured is not None:
        return measured
    if isinstance(node, SequenceNode):
        children = [_measure(child, known) for child in node.value]
    elif isinstance(node, MappingNode):
        children = [_measure(part, known) for pair in node.value for part in pair]
    else:
        children = []
    measured = (1 + sum(size for size, _ in children), 1 + max((depth for _, depth in children), default=0))
    known[id(node)] = measured
    return measured


def _tag_name(node: Node) -> str:
    return str(node.tag).rsplit(":", 1)[-1] or "YAML"


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    if not isinstance(node, MappingNode):
        raise ConstructorError(None, None, f"expected a mapping, but found {node.id}", node.start_mark)
    mapping = LineDict()
    mapping.line = loader.line_at(node.start_mark)
    mapping.key_lines = {}
    yield mapping
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise ConstructorError(None, None, "mapping keys must be plain values", key_node.start_mark)
        mapping[str(key)] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[str(key)] = loader.line_at(key_node.start_mark)


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    # A list item that should have been a mapping (a question written as a line of text) has no line of its own.
    sequence = LineList()
    sequence.item_lines = [loader.line_at(child.start_mark) for child in node.value]
    yield sequence
    sequence.extend(loader.construct_sequence(node))


def _construct_str(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    value = loader.construct_scalar(node)
    if _UNSTORABLE.search(value):
        raise ConstructorError(None, None, "text holds a NUL character or a lone surrogate (an escape such as "
                                           "\\0 or \\ud800), which cannot be stored", node.start_mark)
    return value


class _AsWritten:
    """A number that, as text, reads as the file wrote it: a choice written `1.50` or `12:30`, or an explanation
    `98.`, stays itself rather than becoming 1.5, YAML's sexagesimal 750 or 98.0."""

    written: str

    def __str__(self) -> str:
        return self.written


class WrittenInt(_AsWritten, int):
    """An integer read from a bank file, that keeps its written form as text."""


class WrittenFloat(_AsWritten, float):
    """A number with a fraction read from a bank file, that keeps its written form as text."""


def _as_written(kind: type[WrittenInt] | type[WrittenFloat], value: float, written: str) -> WrittenInt | WrittenFloat:
    number = kind(value)
    number.written = written
    return number


def _construct_int(loader: _LineLoader, node: yaml.ScalarNode) -> int:
    written = loader.construct_scalar(node)
    digits = written.lstrip("+-").replace("_", "")
    if len(digits) > MAX_INT_DIGITS:
        raise ConstructorError(None, None, f"integer longer than {MAX_INT_DIGITS} digits", node.start_mark)
    value = yaml.SafeLoader.construct_yaml_int(loader, node)
    if len(str(abs(value))) > MAX_INT_DIGITS:  # 0x and 0b forms write fewer digits than the value has
        raise ConstructorError(None, None, f"integer longer than {MAX_INT_DIGITS} digits", node.start_mark)
    return _as_written(WrittenInt, value, written)


def _construct_float(loader: _LineLoader, node: yaml.ScalarNode) -> float:
    return _as_written(WrittenFloat, yaml.SafeLoader.construct_yaml_float(loader, node), loader.construct_scalar(node))


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:str", _construct_str)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_LineLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)


class YamlError(Exception):
    """Text that is not valid YAML, with the line of the problem."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def load_yaml(text: str) -> Any:
    """Parse YAML text; mappings come back as LineDict."""
    loader = None
    try:
        loader = _LineLoader(text)  # checks every character first
        return loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark, message = _explain(error, loader)
        line = loader.line_at(mark) if mark and loader else 1
        raise YamlError(line, f"invalid YAML: {message}") from error
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, max(error.position, 0)) + 1
        character = f"#x{error.character:04x}" if isinstance(error.character, int) else repr(error.character)
        raise YamlError(line, f"invalid YAML: unacceptable character {character}") from error
    except yaml.YAMLError as error:
        raise YamlError(1, f"invalid YAML: {_one_line(str(error))}") from error
    except RecursionError as error:
        raise YamlError(1, "invalid YAML: nested too deeply") from error
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError) as error:
        # A constructor failing outside construct_object (the document's own top level): no line to give.
        raise YamlError(1, "invalid YAML: the document cannot be read") from error
    finally:
        if loader is not None:
            loader.dispose()


# What usually causes PyYAML's terse messages in a bank written by hand, said after them.
_HINTS = (
    ("found character '\\t' that cannot start any token", "indent with spaces: YAML does not accept tabs"),
    ("cannot start any token", "a value that starts with @, ` or % must be put in quotes"),
    ("expected alphabetic or numeric character", "a value that starts with * or &, such as Markdown emphasis, "
                                                 "must be put in quotes"),
    ("mapping values are not allowed here", "a value that holds ': ' must be put in quotes, or this line is "
                                            "indented more than the field above it"),
    ("expected <block end>, but found '<scalar>'", "text follows a quoted value: put the whole value in quotes, "
                                                   "and write an apostrophe inside '…' as ''"),
    ("expected <block end>", "this line is indented differently from the lines above it: the fields of a question "
                             "all start in the same column, and so do the '-' of the items of a list"),
)


def _explain(error: yaml.MarkedYAMLError, loader: _LineLoader | None) -> tuple[Mark | None, str]:
    """Where a YAML error is and what it says, with a hint at its usual cause in a bank written by hand."""
    problem = _one_line(error.problem or error.context)
    quoted = loader.last_quoted if loader is not None else None
    if (quoted and error.problem_mark and "but found '<scalar>'" in problem
            and quoted[1].line == error.problem_mark.line > quoted[0].line):
        # A value quoted over several lines, with text right after its end: most likely its own closing quote
        # is missing and it ran on to the next value's opening quote.
        return quoted[0], (f"the quoted value that starts on this line runs on to line {loader.line_at(quoted[1])}, "
                           "where text follows its end: is its closing quote missing?")
    if error.context_mark and error.context == "while scanning a simple key":
        # PyYAML notices the missing ':' only on the next line; the faulty line is the one it started on.
        return error.context_mark, ("this line has no ':' after its field name (or, if it continues the value "
                                    "above, it must be indented more than that value's field)")
    if error.context_mark and error.context == "while scanning a quoted scalar" and "unexpected" in problem:
        # Reached the end of the file (or a '---') still inside the quotes: the quote opened here is unclosed.
        return error.context_mark, "the quote that opens on this line is never closed"
    if error.context_mark and str(error.context).startswith("while parsing a flow") and problem.startswith(
            "expected ','"):
        # Noticed where the next field starts; the bracket left open is on the line the list or mapping began.
        return error.context_mark, (f"the [...] or {{...}} that opens on this line is not closed, or lacks a ',' "
                                    f"between two items ({problem})")
    hint = next((hint for fragment, hint in _HINTS if fragment in problem), "")
    return error.problem_mark or error.context_mark, f"{problem} ({hint})" if hint else problem


def _one_line(message: str | None) -> str:
    return " ".join(str(message or "unreadable").split())
