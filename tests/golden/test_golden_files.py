"""Rendered files equal the golden files byte for byte, and rendering is deterministic.

Layout: ``tests/golden/<case>/<host>/<absolute path>`` plus ``<case>/MANIFEST`` (mode,
owner, secret flag of every file). Regenerate with ``HASTACK_UPDATE_GOLDEN=1 pytest
tests/golden`` and review the diff.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from golden_cases import CASES, manifest, render_case

from hastack.render import RenderedFile

GOLDEN = Path(__file__).parent
MANIFEST = "MANIFEST"


def _expected_tree(rendered: dict[str, list[RenderedFile]]) -> dict[str, bytes]:
    tree = {MANIFEST: manifest(rendered).encode()}
    for host, files in rendered.items():
        for f in files:
            tree[f"{host}{f.path}"] = f.text.encode()
    return tree


def _tree_on_disk(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _write(root: Path, tree: dict[str, bytes]) -> None:
    if root.exists():
        shutil.rmtree(root)
    for relative, data in tree.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


@pytest.mark.parametrize("case", sorted(CASES))
def test_rendered_files_match_golden(case: str, update_golden: bool) -> None:
    tree = _expected_tree(render_case(case))
    root = GOLDEN / case
    if update_golden:
        _write(root, tree)
        return
    assert root.is_dir(), f"no golden files for {case}; run with HASTACK_UPDATE_GOLDEN=1"
    on_disk = _tree_on_disk(root)
    assert sorted(on_disk) == sorted(tree), "files differ from the golden set"
    for relative, data in tree.items():
        assert on_disk[relative] == data, f"{case}/{relative} differs from the golden file"


@pytest.mark.parametrize("case", sorted(CASES))
def test_rendering_twice_gives_identical_bytes(case: str) -> None:
    assert _expected_tree(render_case(case)) == _expected_tree(render_case(case))
