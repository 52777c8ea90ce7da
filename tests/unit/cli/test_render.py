"""`hastack render` writes secrets into a state directory only when one is named."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import CORE, Hastack
from hastack.secrets import NAMES, SecretStore


def test_without_a_state_dir_secrets_are_throwaway_and_nothing_is_kept(
    hastack: Hastack, tmp_path: Path
) -> None:
    default = tmp_path / "default-state"
    out = tmp_path / "out"
    done = hastack("render", str(CORE), "-o", str(out), default_state=default)
    assert done.code == 0, done.err
    assert not default.exists()
    secrets = default / "deployments" / "lab-core" / "secrets.json"
    assert done.err_line.startswith(
        f"{secrets} does not exist: rendered with throwaway secrets, generated for this render "
        f"only and kept nowhere but in the files under {out}; pass --state-dir DIR to generate "
        "them into DIR/deployments/lab-core and keep them"
    )


def test_an_existing_deployments_secrets_are_read_and_never_changed(
    hastack: Hastack, tmp_path: Path
) -> None:
    directory = tmp_path / "deployments" / "lab-core"
    SecretStore(directory).ensure()
    before = (directory / "secrets.json").read_text()
    done = hastack("render", str(CORE), "-o", str(tmp_path / "out"), default_state=tmp_path)
    assert done.code == 0, done.err
    assert done.err_line.startswith(f"secrets from {directory}/secrets.json (read only)")
    assert (directory / "secrets.json").read_text() == before
    cookie = json.loads(before)["erlang-cookie"]
    node = tmp_path / "out" / "ctl-1"
    assert any(cookie in p.read_text() for p in node.rglob("*") if p.is_file())


def test_missing_secrets_of_an_existing_deployment_are_throwaway(
    hastack: Hastack, tmp_path: Path
) -> None:
    directory = tmp_path / "deployments" / "lab-core"
    directory.mkdir(parents=True)
    (directory / "secrets.json").write_text(json.dumps({"erlang-cookie": "C" * 20}))
    done = hastack("render", str(CORE), "-o", str(tmp_path / "out"), default_state=tmp_path)
    assert done.code == 0, done.err
    assert f"{len(NAMES) - 1} missing ones are throwaway, generated for this render only" in (
        done.err_line
    )
    assert json.loads((directory / "secrets.json").read_text()) == {"erlang-cookie": "C" * 20}


def test_a_named_state_dir_keeps_the_secrets(hastack: Hastack, tmp_path: Path) -> None:
    state = tmp_path / "state"
    done = hastack("--state-dir", str(state), "render", str(CORE), "-o", str(tmp_path / "out"))
    assert done.code == 0, done.err
    kept = state / "deployments" / "lab-core" / "secrets.json"
    assert done.err_line.startswith(f"generated missing secrets into {kept} (mode 0600)")
    assert sorted(json.loads(kept.read_text())) == sorted(NAMES)
    again = hastack("--state-dir", str(state), "render", str(CORE), "-o", str(tmp_path / "o2"))
    assert again.err_line.startswith(f"secrets from {kept} (mode 0600)")
