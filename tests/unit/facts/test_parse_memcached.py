from pathlib import Path

import pytest

from hastack.facts import ParseError
from hastack.facts.memcached import parse_stats

FIXTURES = Path(__file__).parents[2] / "fixtures" / "facts" / "memcached"


def test_real_stats() -> None:
    stats = parse_stats((FIXTURES / "stats.txt").read_bytes().decode())
    assert (stats.pid, stats.uptime, stats.version) == (7277, 2, "1.6.18")
    assert (stats.curr_connections, stats.max_connections, stats.rejected_connections) == (
        1,
        1024,
        0,
    )
    assert (stats.curr_items, stats.evictions) == (1, 0)
    assert stats.values["libevent"] == "2.1.12-stable"


def test_bad_input() -> None:
    with pytest.raises(ParseError, match="line 1 is not 'STAT <name> <value>'"):
        parse_stats("ERROR\r\n")
    with pytest.raises(ParseError, match="no 'STAT uptime' line"):
        parse_stats("END\r\n")
