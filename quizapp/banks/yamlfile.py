"""YAML parsing that remembers the line of every mapping and key, for precise error messages."""

from __future__ import annotations

from typing import Any

import yaml


class LineDict(dict):
    """A mapping that knows the line it starts on and the line of each of its keys."""

    line: int = 1
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """The line a key stands on, or the mapping's own line if the key is absent."""
        return self.key_lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    yield mapping
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "mapping keys must be plain values", key_node.start_mark
            )
        mapping[str(key)] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[str(key)] = key_node.start_mark.line + 1


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class YamlError(Exception):
    """Text that is not valid YAML, with the line of the problem."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def load_yaml(text: str) -> Any:
    """Parse YAML text; mappings come back as LineDict."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlError(line, f"invalid YAML: {error.problem or error.context}") from error
    except yaml.YAMLError as error:
        raise YamlError(1, f"invalid YAML: {error}") from error
