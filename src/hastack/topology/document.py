"""The YAML document under a bundle: parsing, positions, and the findings collected on it.

Everything here knows YAML and nothing about bundles. ``Report`` collects findings so that
validation can report every problem at once; positions come from ruamel.yaml's round-trip
loader, which remembers the line and column of every key and item.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterable, Iterator
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.scalarbool import ScalarBoolean

from ..errors import Finding, TopologyError
from .model import OptionValue, Source


class Report:
    """The findings about one file, in the order they were found."""

    def __init__(self, file: str | None) -> None:
        self.file = file
        self.findings: list[Finding] = []

    def error(self, path: str, message: str, at: Source | None = None) -> None:
        self._add(path, message, at, "error")

    def warn(self, path: str, message: str, at: Source | None = None) -> None:
        self._add(path, message, at, "warning")

    def _add(self, path: str, message: str, at: Source | None, severity: str) -> None:
        line, column = (at.line, at.column) if at else (None, None)
        self.findings.append(Finding(path, message, self.file, line, column, severity))

    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")

    def stop(self) -> TopologyError:
        """The error to raise now: every error found so far (and no warnings)."""
        return TopologyError(self.errors())

    def at(self, line: int | None, column: int | None) -> Source | None:
        """A Source from ruamel's 0-based line and column."""
        if line is None:
            return None
        return Source(self.file, line + 1, None if column is None else column + 1)

    def key_at(self, mapping: Any, key: Any) -> Source | None:
        try:
            line, column = mapping.lc.key(_written(mapping, key))
        except (AttributeError, KeyError, TypeError):
            return self.node_at(mapping)
        return self.at(line, column)

    def value_at(self, mapping: Any, key: Any) -> Source | None:
        try:
            line, column = mapping.lc.value(_written(mapping, key))
        except (AttributeError, KeyError, TypeError):
            return self.key_at(mapping, key)
        return self.at(line, column)

    def item_at(self, seq: Any, index: int) -> Source | None:
        try:
            line, column = seq.lc.item(index)
        except (AttributeError, KeyError, TypeError):
            return self.node_at(seq)
        return self.at(line, column)

    def node_at(self, node: Any) -> Source | None:
        lc = getattr(node, "lc", None)
        return self.at(lc.line, lc.col) if lc is not None and lc.line is not None else None


def _written(mapping: Any, key: Any) -> Any:
    """The key of *mapping* as YAML wrote it (``0``) for *key* as text (``"0"``)."""
    if key in mapping:
        return key
    return next((k for k in mapping if str(k) == str(key)), key)


def parse(text: str, report: Report) -> Any:
    """The document in *text*, or None after adding a finding to *report*."""
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = True  # reported, all at once, by _duplicates()
    try:
        root = yaml.compose(text)
        if root is not None:
            _duplicates(root, "", report)
        data = yaml.load(text)
    except MarkedYAMLError as error:
        report.error("", _syntax_message(error), _mark(error, report))
        return None
    except YAMLError as error:  # reader errors: control characters and the like
        report.error("", f"this is not valid YAML: {error}; save the file as plain text.")
        return None
    if data is None:
        report.error(
            "",
            "the file holds no YAML document (it is empty or only comments); "
            "write a bundle with at least an `applications:` mapping.",
        )
    return data


def _mark(error: MarkedYAMLError, report: Report) -> Source | None:
    mark = error.problem_mark or error.context_mark
    return report.at(mark.line, mark.column) if mark is not None else None


def _syntax_message(error: MarkedYAMLError) -> str:
    problem = (error.problem or "").strip()
    context = (error.context or "").strip()
    what = f"{context}, {problem}" if context and problem else (problem or context)
    fix = "check the indentation, the colons and the quoting on this line and the one before it"
    if "'\\t'" in problem:
        fix = "indent with spaces: YAML does not allow tabs there"
    return f"this is not valid YAML: {what}; {fix}."


def _duplicates(node: Node, path: str, report: Report, seen: set[int] | None = None) -> None:
    """Add a finding for every key that appears twice in one mapping.

    A node met again through an alias (``*name``) was checked where its anchor is.
    """
    seen = set() if seen is None else seen
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _duplicates(item, f"{path}[{index}]", report, seen)
        return
    if not isinstance(node, MappingNode):
        return
    firsts: dict[str, Node] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, ScalarNode) else "?"
        child = join(path, key)
        first = firsts.setdefault(key, key_node)
        if first is not key_node:
            where = f"line {first.start_mark.line + 1}"
            report.error(
                child,
                f"the key '{key}' appears twice in {path or 'the top level'} (first at "
                f"{where}); each key may appear once, so rename or merge the two.",
                report.at(key_node.start_mark.line, key_node.start_mark.column),
            )
        _duplicates(value_node, child, report, seen)


def join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def is_mapping(value: Any) -> bool:
    return isinstance(value, dict)


def is_list(value: Any) -> bool:
    return isinstance(value, list)


def is_scalar(value: Any) -> bool:
    """True for a single plain value: text, number, boolean or null."""
    return value is None or isinstance(value, str | int | float | bool | ScalarBoolean)


def plain(value: Any) -> OptionValue:
    """A scalar from ruamel (``ScalarFloat``, ``ScalarBoolean``...) as a plain Python one."""
    if isinstance(value, ScalarBoolean | bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return None if value is None else str(value)


def describe(value: Any) -> str:
    """A few words for what *value* is, for messages: "a list", "the text 'x'"."""
    if isinstance(value, CommentedMap | dict):
        return "a mapping"
    if isinstance(value, CommentedSeq | list):
        return "a list"
    if isinstance(value, ScalarBoolean | bool):
        return f"the boolean {str(bool(value)).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'" if value else "an empty text"
    if value is None:
        return "nothing (null)"
    if isinstance(value, datetime.date):
        return f"the date {value}"
    return f"a value of type {type(value).__name__}"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """ " (did you mean 'x'?)" when *word* is close to one of *choices*, else ""."""
    matches = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.7)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def items(mapping: Any) -> Iterator[tuple[str, Any]]:
    """The (key, value) pairs of a mapping, keys as text (YAML allows ``0:`` keys)."""
    for key, value in mapping.items():
        yield str(key), value


def check_keys(report: Report, mapping: Any, path: str, allowed: Iterable[str], what: str) -> None:
    """A finding for each key of *mapping* that is not in *allowed*."""
    known = sorted(allowed)
    for key in mapping:
        if str(key) in known:
            continue
        report.error(
            join(path, key),
            f"'{key}' is not a key hastack knows in {what}{did_you_mean(str(key), known)}; "
            f"the keys allowed here are {', '.join(known)}.",
            report.key_at(mapping, key),
        )
