"""Keystone's fernet and credential keys: made once, identical on every unit, rotated safely.

The leader's repository is the source (another unit's when the leader has none; a fresh
``*_setup`` when no unit has any). Copies are written key by key with atomic renames, new
keys before stale ones are removed, so a running unit always holds every key in use.

Rotation without invalidating live tokens: ``fernet_rotate`` on the leader promotes the
staged key 0 to primary. Every unit already holds that key (as its own key 0), so tokens
the leader signs with it validate everywhere even before the copy; the old primary stays
as a secondary, so tokens issued before the rotation keep validating until they expire.
Key contents are never logged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

from ...apply.report import Report
from ...errors import DeployError
from ...hosts import Connector
from .render import CREDENTIAL_KEYS, FERNET_KEYS

OWNER = "keystone:keystone"
MANAGE_LOG = "/var/log/keystone/keystone.log"


def manage(conn: Connector, *args: str, env: Mapping[str, str] | None = None) -> None:
    """``keystone-manage`` as the keystone user (root would own its log files)."""
    argv = ["runuser", "-u", "keystone", "--", "keystone-manage", *args]
    result = conn.run(argv, timeout=300, env=env)
    if not result.ok:
        tail = " ".join(result.stderr.strip().splitlines()[-2:])[:300]
        raise DeployError(
            f"keystone on {conn.name}: `keystone-manage {args[0]}` exited {result.exit_code} "
            f"({tail}); read {MANAGE_LOG} on {conn.name}"
        )


@dataclasses.dataclass(frozen=True)
class Repository:
    kind: str  # "fernet", "credential"
    path: str
    setup: str  # keystone-manage command that creates it
    rotate: str


REPOSITORIES = (
    Repository("fernet", FERNET_KEYS, "fernet_setup", "fernet_rotate"),
    Repository("credential", CREDENTIAL_KEYS, "credential_setup", "credential_rotate"),
)
Keys = dict[str, str]  # file name ("0", "1", ...) -> key


def read_keys(conn: Connector, repo: Repository) -> Keys:
    listing = conn.run(["find", repo.path, "-maxdepth", "1", "-type", "f", "-printf", "%f\\n"])
    if not listing.ok:
        return {}
    names = sorted(n for n in listing.stdout.split() if n.isdigit())
    found = {name: conn.read_file(f"{repo.path}/{name}") or "" for name in names}
    return {name: key for name, key in found.items() if key}


def write_keys(conn: Connector, repo: Repository, keys: Keys, have: Keys) -> None:
    """Make *conn*'s repository hold exactly *keys*: add and replace first, then remove."""
    conn.check(["install", "-d", "-m", "0700", "-o", "keystone", "-g", "keystone", repo.path])
    for name in sorted(keys, key=int, reverse=True):  # the new primary (highest) first
        if have.get(name) != keys[name]:
            conn.write_file(f"{repo.path}/{name}", keys[name], mode=0o600, owner=OWNER)
    stale = sorted(set(have) - set(keys))
    if stale:
        conn.check(["rm", "-f", "--", *(f"{repo.path}/{n}" for n in stale)])


def _flags() -> list[str]:
    return ["--keystone-user", "keystone", "--keystone-group", "keystone"]


def _source(members: Mapping[str, Connector], leader: str, repo: Repository) -> tuple[str, Keys]:
    held = {host: read_keys(conn, repo) for host, conn in members.items()}
    order = [leader, *sorted(h for h in members if h != leader)]
    for host in order:
        if held[host]:
            return host, held[host]
    manage(members[leader], repo.setup, *_flags())
    return leader, read_keys(members[leader], repo)


def distribute(
    members: Mapping[str, Connector], source: str, repo: Repository, keys: Keys
) -> list[str]:
    """Copy *keys* to every unit that differs; the hosts that changed."""

    def one(host: str) -> str | None:
        have = read_keys(members[host], repo)
        if have == keys:
            return None
        write_keys(members[host], repo, keys, have)
        return host

    others = sorted(h for h in members if h != source)
    with ThreadPoolExecutor(max_workers=max(1, len(others))) as pool:
        return [h for h in pool.map(one, others) if h is not None]


def ensure_shared(members: Mapping[str, Connector], leader: str, report: Report) -> None:
    for repo in REPOSITORIES:
        had = bool(read_keys(members[leader], repo))
        source, keys = _source(members, leader, repo)
        changed = distribute(members, source, repo, keys)
        if not had and source == leader and not changed:
            changed = [leader]
        if changed:
            message = (
                f"{repo.kind} keys ({len(keys)}) from {source} copied to {', '.join(changed)}"
            )
        else:
            message = f"{repo.kind} keys ({len(keys)}) identical on {len(members)} units"
        report.add(source, f"keystone-{repo.kind}-keys", bool(changed), message)


def rotate(members: Mapping[str, Connector], leader: str, report: Report) -> None:
    """Rotate both repositories on the leader and copy them to every unit."""
    fernet, credential = REPOSITORIES
    for repo in (fernet, credential):
        manage(members[leader], repo.rotate, *_flags())
        keys = read_keys(members[leader], repo)
        copied = distribute(members, leader, repo, keys)
        primary = max(keys, key=int)
        report.add(
            leader,
            f"keystone-{repo.kind}-keys",
            True,
            f"rotated {repo.kind} keys on {leader} (primary now key {primary}, {len(keys)} "
            f"keys) and copied them to {', '.join(copied) or 'no other unit'}",
        )
    # credentials encrypted with the old primary are re-encrypted with the new one
    manage(members[leader], "credential_migrate")
