"""clouds.yaml and openrc: the VIP, cloud ``hastack``, mode 0600, rewritten only on change."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "golden"))
from golden_cases import SECRETS, build, secrets

from hastack.ops.clients import write_client_files


def test_client_files_point_at_the_public_vip(tmp_path: Path) -> None:
    files = write_client_files(build("lab-core-fast"), secrets(), tmp_path)
    assert files is not None and files.changed
    clouds = files.clouds_yaml.read_text()
    assert "  hastack:\n" in clouds
    assert '      auth_url: "http://198.18.1.101:5000/v3"\n' in clouds
    assert f'      password: "{SECRETS["keystone-admin-password"]}"\n' in clouds
    assert "export OS_AUTH_URL='http://198.18.1.101:5000/v3'\n" in files.openrc.read_text()
    assert files.clouds_yaml.stat().st_mode & 0o777 == 0o600
    assert files.openrc.stat().st_mode & 0o777 == 0o600
    assert files.dashboard_url == "http://198.18.1.102/"


def test_a_second_write_changes_nothing(tmp_path: Path) -> None:
    write_client_files(build("lab-core-fast"), secrets(), tmp_path)
    again = write_client_files(build("lab-core-fast"), secrets(), tmp_path)
    assert again is not None and not again.changed
