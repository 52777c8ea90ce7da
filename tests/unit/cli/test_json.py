"""--json on every command: one document on stdout with a schema_version, errors too."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from conftest import CORE, Hastack
from hastack import catalog
from hastack.cli.main import EXIT_CODES, cli
from hastack.cli.output import SCHEMA_VERSION
from hastack.kinds import deployable

# Commands whose stdout is not hastack's: `lab exec` passes the node's command through.
PASS_THROUGH = {"hastack lab exec"}


def leaf_commands(
    group: click.Group, prefix: str = "hastack"
) -> Iterator[tuple[str, click.Command]]:
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from leaf_commands(command, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}", command


def test_every_command_takes_json() -> None:
    missing = [
        name
        for name, command in leaf_commands(cli)
        if name not in PASS_THROUGH
        and not any("--json" in p.opts for p in command.params if isinstance(p, click.Option))
    ]
    assert missing == []


def test_help_lists_every_exit_code_and_the_error_shape(hastack: Hastack) -> None:
    done = hastack("--help")
    assert done.code == 0
    for code, meaning in EXIT_CODES:
        assert f"{code:<4} {meaning}" in done.out
    assert '"error": {"kind": ..., "message": ..., "exit_code": ...}' in done.out


def test_readme_lists_the_same_exit_codes() -> None:
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    for code, meaning in EXIT_CODES:
        assert f"| {code} | {meaning} |" in readme


def document(text: str) -> dict[str, object]:
    data = json.loads(text)
    assert isinstance(data, dict) and data["schema_version"] == SCHEMA_VERSION
    return data


def test_validate_json(hastack: Hastack) -> None:
    done = hastack("validate", str(CORE), "--json")
    assert done.code == 0, done.err
    assert document(done.out) | {"findings": []} == {
        "schema_version": SCHEMA_VERSION,
        "bundle": str(CORE),
        "valid": True,
        "findings": [],
    }


def test_an_invalid_bundle_under_json_is_an_error_document_with_the_findings(
    hastack: Hastack, tmp_path: Path
) -> None:
    bundle = tmp_path / "typo.yaml"
    bundle.write_text("applications:\n  ks:\n    charm: keystne\n    num_units: 3\n")
    done = hastack("validate", str(bundle), "--json")
    assert done.code == 1
    error = document(done.out)["error"]
    assert isinstance(error, dict)
    assert error["kind"] == "TopologyError" and error["exit_code"] == 1
    assert error["findings"][0]["file"] == str(bundle)
    assert "keystone" in error["message"]


def test_list_charms_says_which_kinds_deploy_from_the_deploy_registry(hastack: Hastack) -> None:
    data = document(hastack("validate", "--list-charms", "--json").out)
    kinds = {row["kind"]: row["deploys"] for row in data["kinds"]}  # type: ignore[attr-defined]
    assert kinds == {kind.name: deployable(kind.name) for kind in catalog.KINDS}
    assert kinds["galera"] is True and kinds["cinder"] is False
    text = hastack("validate", "--list-charms").out
    assert (
        "plan only: validated, planned and rendered; `hastack lab up` does not deploy it yet"
        in (" ".join(text.split()))
    )
    rows = {
        line.split("│")[1].strip(): line.split("│")[2].strip()
        for line in text.splitlines()
        if line.count("│") > 3
    }
    assert rows["galera"] == "deploys" and rows["cinder"] == "plan only"


def test_plan_json_has_a_schema_version(hastack: Hastack) -> None:
    done = hastack("plan", str(CORE), "--json")
    assert done.code == 0
    assert document(done.out)["ok"] is True


def test_render_json_says_where_secrets_came_from(hastack: Hastack, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = hastack("render", str(CORE), "-o", str(out), "--json", default_state=tmp_path / "none")
    assert done.code == 0, done.err
    data = document(done.out)
    assert data["secrets"]["source"] == "throwaway"  # type: ignore[index]
    assert data["files"] == sum(len(files) for files in data["hosts"].values())  # type: ignore[union-attr]
    assert "/etc/corosync/corosync.conf" in data["hosts"]["ctl-1"]  # type: ignore[index]
    assert (out / "ctl-1/etc/corosync/corosync.conf").exists()


def test_secrets_show_json(hastack: Hastack, tmp_path: Path) -> None:
    state = str(tmp_path / "state")
    hastack("--state-dir", state, "render", str(CORE), "-o", str(tmp_path / "out"))
    done = hastack(
        "--state-dir", state, "secrets", "show", "lab-core", "--name", "erlang-cookie", "--json"
    )
    data = document(done.out)
    stored = json.loads((tmp_path / "state/deployments/lab-core/secrets.json").read_text())
    assert data["secrets"] == {"erlang-cookie": stored["erlang-cookie"]}


def test_drill_list_json(hastack: Hastack) -> None:
    data = document(hastack("drill", "list", "--json").out)
    names = [d["name"] for d in data["scenarios"]]  # type: ignore[attr-defined]
    assert "vip-holder-power-off" in names


def test_lab_nodes_on_an_empty_state_dir_is_a_json_error(hastack: Hastack, tmp_path: Path) -> None:
    done = hastack("--state-dir", str(tmp_path), "lab", "nodes", "--json")
    assert done.code == 1
    assert document(done.out) == {
        "schema_version": SCHEMA_VERSION,
        "error": {
            "kind": "LabError",
            "message": f"no lab is set up in {tmp_path}/lab; create it with `hastack lab up`",
            "exit_code": 1,
        },
    }
    assert "no lab is set up" in done.err  # the paragraph is on stderr as well


@pytest.mark.parametrize(
    ("args", "kind", "code"),
    [
        (("plan", "--json", "--bogus"), "NoSuchOption", 2),
        (("plan", "--json"), "MissingParameter", 2),
        (("nonsense", "--json"), "NoSuchCommand", 2),
    ],
)
def test_usage_errors_under_json_are_json_with_their_exit_code(
    hastack: Hastack, args: tuple[str, ...], kind: str, code: int
) -> None:
    done = hastack(*args)
    assert done.code == code
    error = document(done.out)["error"]
    assert error["kind"] == kind and error["exit_code"] == code  # type: ignore[index]


def test_json_after_a_double_dash_is_not_hastacks(hastack: Hastack, tmp_path: Path) -> None:
    done = hastack("--state-dir", str(tmp_path), "lab", "exec", "ctl-1", "--", "tool", "--json")
    assert done.code == 1
    assert done.out == ""


def test_shell_completion_as_the_readme_says(
    hastack: Hastack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("_HASTACK_COMPLETE", "bash_complete")
    monkeypatch.setenv("COMP_WORDS", "hastack lab n")
    monkeypatch.setenv("COMP_CWORD", "2")
    done = hastack()
    assert done.code == 0
    assert done.out.split() == ["plain,nodes"]
