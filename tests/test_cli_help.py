"""The command lists of `flask --help` and of each group read in full, without a description cut off at '...'."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("group", [[], ["users"], ["questions"], ["study"]])
def test_command_lists_are_not_cut_off(runner, group: list[str]) -> None:
    result = runner.invoke(args=[*group, "--help"])
    assert result.exit_code == 0, result.output
    listing = result.output.split("Commands:", 1)[1]
    ours = [line for line in listing.splitlines() if line.strip() and "Flask-Limiter" not in line]
    assert ours
    assert not [line for line in ours if line.rstrip().endswith("...")], listing


def test_password_option_says_where_the_password_comes_from(runner) -> None:
    for command in (["users", "create"], ["users", "set-password"]):
        text = " ".join(runner.invoke(args=[*command, "--help"]).output.split())
        assert "Taken from QUIZAPP_NEW_PASSWORD if set, else asked for twice." in text
