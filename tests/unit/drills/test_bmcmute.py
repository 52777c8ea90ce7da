"""Muting one BMC: the nft rule and finding it again by its comment."""

from __future__ import annotations

import json

from hastack.lab import bmcmute


def listing(*rules: tuple[str, int]) -> str:
    items = [{"metainfo": {"version": "1.0.6"}}, {"chain": {"name": "input"}}]
    items += [{"rule": {"handle": h, "comment": c, "expr": []}} for c, h in rules]
    return json.dumps({"nftables": items})


def test_the_drop_rule_names_the_address_in_its_comment() -> None:
    argv = bmcmute.drop_argv("198.18.6.203")
    assert argv[-2:] == ["comment", '"hastack mute bmc 198.18.6.203"']
    assert argv[7:13] == ["daddr", "198.18.6.203", "udp", "dport", "623", "drop"]


def test_rule_handles_finds_muted_addresses() -> None:
    text = listing(
        ("hastack mute bmc 198.18.6.203", 7),
        ("someone else", 8),
        ("hastack mute bmc 198.18.0.201", 9),
    )
    assert bmcmute.rule_handles(text) == {"198.18.6.203": 7, "198.18.0.201": 9}
    assert bmcmute.rule_handles(text, "198.18.0.201") == {"198.18.0.201": 9}
    assert bmcmute.rule_handles("") == {}
    assert bmcmute.rule_handles("not json") == {}
