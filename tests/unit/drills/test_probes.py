"""Probes: fixed rate, bounded, every attempt logged; lab addresses only."""

from __future__ import annotations

import itertools
import time

import pytest

from hastack import errors
from hastack.drills.probes import Probe, TcpProbe, ordered, require_lab_address


class Flaky(Probe):
    kind = "test"

    def __init__(self, rate: float, max_s: float) -> None:
        super().__init__("flaky", "nowhere", rate, max_s=max_s)
        self.calls = 0

    def attempt(self) -> None:
        self.calls += 1
        if self.calls % 2 == 0:
            raise ConnectionRefusedError("refused")


def test_a_probe_logs_every_attempt_and_stops_at_its_bound() -> None:
    probe = Flaky(rate=200.0, max_s=0.1)
    probe.max_attempts = 5
    probe.start()
    probe.join(5)
    assert not probe.is_alive()
    assert len(probe.attempts) == 5
    assert [a.ok for a in probe.attempts] == [True, False, True, False, True]
    assert probe.attempts[1].error == "ConnectionRefusedError: refused"
    times = [a.t for a in probe.attempts]
    assert times == sorted(times)


def test_a_probe_stops_when_asked() -> None:
    probe = Flaky(rate=50.0, max_s=60.0)
    probe.start()
    probe.stop(timeout=5)
    assert not probe.is_alive()


def test_probes_refuse_addresses_outside_the_lab() -> None:
    assert require_lab_address("198.19.255.1") == "198.19.255.1"
    with pytest.raises(errors.DrillAborted) as caught:
        TcpProbe("db", "10.0.0.1", 3306, 10.0)
    assert str(caught.value) == (
        "a probe would send traffic to 10.0.0.1, outside the lab's 198.18.0.0/15; "
        "drills only probe lab addresses"
    )


def test_victims_go_last() -> None:
    assert ordered(["a", "b", "c"], ["a"]) == ["b", "c", "a"]
    assert ordered(["a", "b"], []) == ["a", "b"]


class Blocking(Probe):
    kind = "test"

    def attempt(self) -> None:
        time.sleep(0.2)
        raise TimeoutError("timed out")


def test_a_stateless_probe_keeps_its_rate_while_attempts_block() -> None:
    probe = Blocking("blocked", "nowhere", rate=50.0, max_s=5.0)
    probe.in_flight = 12
    probe.max_attempts = 10
    probe.start()
    probe.join(5)
    starts = [a.t for a in probe.attempts]
    assert len(starts) == 10
    assert not any(a.ok for a in probe.attempts)
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert max(gaps) < 0.15  # one blocked attempt (0.2 s) does not hold the next one back
