"""The keystone database user is created from a password hash, never the password itself."""

from __future__ import annotations

from hastack.kinds.galera.sql import native_password_hash


def test_native_password_hash_matches_mariadb() -> None:
    # SELECT PASSWORD('abc') on MariaDB 10.11
    assert native_password_hash("abc") == "*0D3CED9BEC10A777AEC23CCC353A8C08A633045E"
