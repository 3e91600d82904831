"""Write converted questions as a bank in our YAML layout, readable and ready to edit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from quizapp.banks.checker import BANK_FILE

QUESTIONS_FILE = "questions.yaml"


class _BankDumper(yaml.SafeDumper):
    """Block style throughout; text with line breaks as literal blocks."""

    def ignore_aliases(self, data: Any) -> bool:
        """Write a value used twice out twice: an anchor would tie together questions edited apart."""
        return True


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Text over several lines reads best as a literal block; PyYAML quotes it instead where a block cannot hold it.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BankDumper.add_representer(str, _represent_text)


def bank_metadata(bank_id: str, title: str, description: str) -> dict[str, Any]:
    """The bank.yaml mapping of an imported bank: its questions need no source."""
    meta: dict[str, Any] = {"id": bank_id, "title": title}
    if description:
        meta["description"] = description
    meta["sources"] = "optional"
    return meta


def dump_yaml(document: dict[str, Any], header: str = "") -> str:
    """YAML text in block style with Unicode kept as it is; header lines become comments."""
    body = yaml.dump(document, Dumper=_BankDumper, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=False, indent=2)
    comments = "".join(f"# {line}\n".replace("# \n", "#\n") for line in header.splitlines())
    return comments + body


def bank_files(meta: dict[str, Any], questions: list[dict[str, Any]], header: str = "") -> dict[str, str]:
    """File name to text for a bank folder: bank.yaml and questions.yaml."""
    first = header.splitlines()[:1]
    return {BANK_FILE: dump_yaml(meta, "\n".join(first)), QUESTIONS_FILE: dump_yaml({"questions": questions}, header)}


def single_file(meta: dict[str, Any], questions: list[dict[str, Any]], header: str = "") -> str:
    """A single-file bank: the bank mapping and the questions list together."""
    return dump_yaml({"bank": meta, "questions": questions}, header)


def write_bank(target: Path, meta: dict[str, Any], questions: list[dict[str, Any]], header: str = "",
               single: bool = False) -> list[Path]:
    """Write a bank folder (or a single .yaml file) at target; returns the files written."""
    if single:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(single_file(meta, questions, header), encoding="utf-8")
        return [target]
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in bank_files(meta, questions, header).items():
        (target / name).write_text(text, encoding="utf-8")
        written.append(target / name)
    return written
