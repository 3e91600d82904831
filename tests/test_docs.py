"""The README and docs/ name only commands, options, settings, files and headings that exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
from flask import Flask

from quizapp.config import Defaults

ROOT = Path(__file__).resolve().parent.parent
# docs/performance.md is a record of measurements taken with the code of their day, so it is left as written.
DOCUMENTS = [ROOT / "README.md", ROOT / "docs" / "deploy.md", ROOT / "docs" / "formats.md",
             ROOT / "questions" / "README.md"]
# Variables read by something other than the app's config: the password of `flask users create` and
# `flask users set-password`.
OTHER_VARIABLES = {"NEW_PASSWORD"}


def flask_commands(text: str) -> list[list[str]]:
    """The arguments after `flask --app quizapp` in each command line a document shows."""
    lines = []
    for line in text.splitlines():
        found = re.search(r"flask --app quizapp ([^#`|]*)", line)
        if found:
            lines.append(shlex.split(found.group(1).replace("…", "x").replace("[", " ").replace("]", " ")))
    return lines


def slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def command_problems(app: Flask, words: list[str]) -> list[str]:
    """What is wrong with one `flask --app quizapp` command line: a command or an option that does not exist."""
    group: click.Command = app.cli
    ctx = click.Context(group)
    rest = list(words)
    while rest and isinstance(group, click.Group):
        command = group.get_command(ctx, rest[0])
        if command is None:
            return [f"no command {rest[0]!r} in {' '.join(words)!r}"]
        group, rest = command, rest[1:]
    options = {opt for param in group.params for opt in param.opts if opt.startswith("-")}
    return [f"no option {word!r} in {' '.join(words)!r}"
            for word in rest if word.startswith("--") and word.split("=")[0] not in options]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_flask_command_and_option_exists(app: Flask, document: Path) -> None:
    problems = [problem for words in flask_commands(document.read_text()) for problem in command_problems(app, words)]
    assert not problems, problems


def makefile_recipe(target: str) -> list[str]:
    """The recipe lines of one target of the Makefile, without their tab."""
    text = (ROOT / "Makefile").read_text()
    found = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", text, flags=re.MULTILINE)
    assert found, f"no target {target}"
    return [line[1:] for line in found.group(1).splitlines()]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_make_target_and_variable_named_exists(document: Path) -> None:
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, flags=re.MULTILINE))
    text = document.read_text()
    # Commands only: indented lines and `code`, not prose ("make an instructor").
    code = [line for line in text.splitlines() if line.startswith("    ")] + re.findall(r"`([^`]+)`", text)
    problems = []
    for target, settings in re.findall(r"(?:^|[;&|]|[A-Z_]+=\S+)\s*make ([a-z][\w-]*)((?: [A-Z_]+=\S*)*)",
                                          "\n".join(code), flags=re.MULTILINE):
        if target not in targets:
            problems.append(f"no target {target!r}")
        problems += [f"make {target}: no variable {name}" for name in re.findall(r"([A-Z_]+)=", settings)
                     if f"$({name})" not in makefile]
    assert not problems, problems


def test_make_run_says_where_to_open_it_where_mail_goes_and_how_to_get_an_admin(app: Flask) -> None:
    """A first run prints what to do next before the server's own lines, and the command it names works."""
    said = [re.sub(r'^@echo "?|"$', "", line) for line in makefile_recipe("run") if line.startswith("@echo")]
    text = "\n".join(said)
    assert "http://$(HOST):$(PORT)/" in text and "/auth/register" in text and "instance/outbox/" in text
    commands = flask_commands(text.replace("$(FLASK)", "flask --app quizapp"))
    assert [words[:2] for words in commands] == [["users", "set-role"]]
    assert not command_problems(app, commands[0])


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_setting_named_is_one_the_app_reads(app: Flask, document: Path) -> None:
    # A name ending in `_` is a family written with a star (`QUIZAPP_MAIL_*`).
    names = {name for name in re.findall(r"QUIZAPP_([A-Z][A-Z0-9_]*)", document.read_text()) if not name.endswith("_")}
    unknown = {name for name in names - OTHER_VARIABLES if not hasattr(Defaults, name) and name not in app.config}
    assert not unknown, sorted(unknown)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_relative_link_and_anchor_exists(document: Path) -> None:
    problems = []
    for target in re.findall(r"\]\(([^)\s]+)\)", document.read_text()):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (document.parent / path).resolve() if path else document
        if not linked.exists():
            problems.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md":
            headings = re.findall(r"^#+ (.+)$", linked.read_text(), flags=re.MULTILINE)
            if anchor not in {slug(heading) for heading in headings}:
                problems.append(f"{target}: no such heading")
    assert not problems, problems


def test_every_repository_path_named_in_the_readme_exists() -> None:
    text = (ROOT / "README.md").read_text()
    named = set(re.findall(r"`((?:quizapp|tests|docs|questions|bench|migrations)/[\w./-]*)`", text))
    missing = sorted(path for path in named if "<" not in path and not (ROOT / path).exists())
    assert not missing, missing


def test_every_page_element_the_readme_names_is_on_a_page() -> None:
    # The README writes buttons, links, pages and fields in italics; the others are titles of passages in docs/.
    passages = {"Files without ids", "Anki GUIDs"}
    text = (ROOT / "README.md").read_text()
    named = {" ".join(name.split()) for name in re.findall(r"(?<![*\w])\*([^*\s][^*]*?)\*(?![*\w])", text)} - passages
    pages = "\n".join(path.read_text() for path in (ROOT / "quizapp").rglob("*")
                      if path.suffix == ".html" or path.name == "forms.py")
    missing = sorted(name for name in named if name.rstrip("…") not in pages)
    assert named and not missing, missing


# What the commands of docs/deploy.md may call without installing it: the shell, and programs of every Debian 12
# system (coreutils, util-linux, passwd, systemd, cron, sed).
DEBIAN_BASE = {"set", ".", "cd", "echo", "printf", "install", "cp", "ln", "rm", "chown", "date", "sed", "useradd",
               "runuser", "systemctl", "systemd-analyze", "crontab", "apt-get"}
# The programs each package of the page's `apt-get install` lines brings.
PACKAGE_PROGRAMS = {"nginx": {"nginx"}, "python3-venv": {"python3"}, "git": {"git"}, "make": {"make"},
                    "curl": {"curl"}, "postgresql": {"psql"}, "postgresql-client": {"psql", "pg_dump", "pg_restore"},
                    "redis-server": {"redis-server", "redis-cli"}}


def shell_commands(text: str) -> list[str]:
    """The program of each simple command in the indented command lines (continuation lines joined)."""
    block = re.sub(r"\\\n\s*", " ", "\n".join(line[4:] for line in text.splitlines() if line.startswith("    ")))
    programs = []
    for line in block.splitlines():
        line = re.sub(r"^\d+ \d+ \* \* \* ", "", line)  # a crontab line's schedule
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        lexer.commenters = "#"
        first = True
        for token in lexer:
            if token in ("&&", ";", "|", "||"):
                first = True
            elif first and not re.match(r"^[A-Z_]+=", token):  # VAR=value before a command sets its environment
                programs.append(token)
                first = False
    return programs


def test_every_program_the_deploy_page_runs_comes_with_debian_or_its_apt_get_lines() -> None:
    text = (ROOT / "docs" / "deploy.md").read_text()
    installed = set(DEBIAN_BASE)
    for packages in re.findall(r"^    apt-get install ([^#\n]+)", text, flags=re.MULTILINE):
        for package in packages.split():
            assert package in PACKAGE_PROGRAMS, f"say what {package} brings"
            installed |= PACKAGE_PROGRAMS[package]
    used = {command for command in shell_commands(text) if not command.startswith((".venv/", "docs/"))}
    assert used, "no commands found"
    assert not used - installed, sorted(used - installed)


@pytest.mark.parametrize("layout", ["## (a)", "## (b)"])
def test_each_layout_makes_the_first_admin(layout: str) -> None:
    """Without mail nobody can sign up, and a sign-up is a student: an admin has to come from the command line."""
    text = (ROOT / "docs" / "deploy.md").read_text()
    section = text[text.index(layout):].split("\n## ", 1)[0]
    assert any(words[:2] == ["users", "create"] and "admin" in words for words in flask_commands(section))
