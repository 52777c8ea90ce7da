"""Every `hastack ...` command a message, docstring or the README names exists, with the
options it names: an operator who follows a message never meets "No such command"."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

import click
import pytest

from conftest import ROOT
from hastack.cli.main import cli

QUOTED = re.compile(r"`hastack ([^`]+)`")
VALUE = "VALUE"  # stands in for an f-string's {…}


def _text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_text(part) or VALUE for part in node.values)
    return None


def quoted_commands(source: str) -> Iterator[str]:
    """The words after `hastack` in every backquoted command of every string in *source*."""
    nodes = list(ast.walk(ast.parse(source)))
    parts = {id(part) for node in nodes if isinstance(node, ast.JoinedStr) for part in node.values}
    for node in nodes:
        text = None if id(node) in parts else _text(node)
        if text is not None:
            yield from QUOTED.findall(text)


def problem(words: list[str]) -> str | None:
    """What is wrong with `hastack WORDS` (None: it is a real command line)."""
    command: click.Command = cli
    path = ["hastack"]
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word == "--":
            break
        if word.startswith("-"):
            name = word.split("=")[0]
            options = [p for p in command.params if isinstance(p, click.Option)]
            option = next((o for o in options if name in (*o.opts, *o.secondary_opts)), None)
            if option is None and name not in ("-h", "--help"):
                return f"`{' '.join(path)}` has no option {name}"
            if option is not None and not (option.is_flag or option.count) and "=" not in word:
                index += 1  # its value
            continue
        if not isinstance(command, click.Group) or word.isupper():
            break  # the command's own arguments, or a placeholder: `hastack COMMAND --help`
        sub = command.commands.get(word)
        if sub is None:
            return f"`{' '.join(path)}` has no command {word!r}"
        command, path = sub, [*path, word]
    return None


def named_commands() -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / "src" / "hastack").rglob("*.py")):
        for words in quoted_commands(path.read_text()):
            yield str(path.relative_to(ROOT)), words
    for words in QUOTED.findall((ROOT / "README.md").read_text()):
        yield "README.md", words


def test_the_check_finds_the_commands_messages_name() -> None:
    found = list(named_commands())
    assert len(found) > 30
    assert ("src/hastack/cli/lab_cmds.py", "status") in found


def test_every_named_command_exists() -> None:
    wrong = [
        f"{where}: `hastack {words}`: {why}"
        for where, words in named_commands()
        if (why := problem(words.split()))
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("words", "why"),
    [
        ("deploy", "`hastack` has no command 'deploy'"),
        ("lab start", "`hastack lab` has no command 'start'"),
        ("status --verbose", "`hastack status` has no option --verbose"),
        ("--state-dir DIR render BUNDLE -o OUT", None),
        ("lab exec VALUE -- tail -50 /var/log/x", None),
        ("drill list", None),
    ],
)
def test_the_check_tells_real_commands_from_made_up_ones(words: str, why: str | None) -> None:
    assert problem(words.split()) == why


def test_fstrings_are_read_with_their_values_as_placeholders() -> None:
    source = 'x = f"run `hastack lab power {node} on` then `hastack status`"'
    assert list(quoted_commands(source)) == [f"lab power {VALUE} on", "status"]
