"""Outage windows and VIP holders from synthetic probe logs."""

from __future__ import annotations

from hastack.drills.measure import (
    error_counts,
    max_holders,
    measure_probe,
    outage_windows,
    predicted,
    segments,
    split_brain_samples,
)
from hastack.drills.probes import Attempt
from hastack.plan import BudgetItem, FailoverBudget


def log(pattern: str, step: float = 0.1, latency: float = 0.01) -> list[Attempt]:
    """'.' = prompt success, 'x' = failure, 's' = a success that took 2 s."""
    out = []
    for i, mark in enumerate(pattern):
        slow = mark == "s"
        out.append(Attempt(round(i * step, 3), 2.0 if slow else latency, mark != "x"))
    return out


def test_no_failure_no_outage() -> None:
    measured = measure_probe(log("....."))
    assert measured.windows == ()
    assert measured.outage_s == 0.0
    assert measured.failed == 0
    assert measured.recovered


def test_outage_runs_from_first_failure_to_end_of_next_success() -> None:
    measured = measure_probe(log("..xxx.."))
    assert measured.failed == 3
    assert [(w.start, w.end) for w in measured.windows] == [(0.2, 0.51)]
    assert measured.outage_s == 0.31
    assert measured.failed_ratio == 3 / 7


def test_two_windows_are_summed_and_the_longest_kept() -> None:
    measured = measure_probe(log(".x..xxxx."))
    assert len(measured.windows) == 2
    assert measured.outage_s == round(0.11 + 0.41, 3)
    assert measured.longest_s == 0.41


def test_a_slow_success_is_data_not_an_outage() -> None:
    measured = measure_probe(log("..s.."))
    assert measured.failed == 0
    assert measured.slow == 1
    assert measured.windows == ()
    assert measured.recovered


def test_a_slow_success_after_failures_ends_the_outage() -> None:
    """Under load the first answers after a fault come slowly; the client saw them work."""
    measured = measure_probe(log("..xxs"))
    assert measured.recovered
    assert [(w.start, w.end) for w in measured.windows] == [(0.2, 2.4)]


def test_never_recovered_counts_to_the_last_attempt() -> None:
    measured = measure_probe(log("..xxx"))
    assert not measured.recovered
    assert measured.windows[-1].end is None
    assert measured.outage_s == round(0.4 + 0.01 - 0.2, 3)


def test_unsorted_attempts_are_sorted_first() -> None:
    attempts = list(reversed(log(".x.")))
    assert [(w.start, w.end) for w in outage_windows(attempts)] == [(0.1, 0.21)]


def test_holders() -> None:
    samples = [
        (0.0, {"198.18.6.100": ("dr-1",)}),
        (0.5, {"198.18.6.100": ()}),
        (1.0, {"198.18.6.100": ("dr-1", "dr-2")}),
    ]
    assert max_holders(samples) == 2
    assert split_brain_samples(samples) == [(1.0, "198.18.6.100", ("dr-1", "dr-2"))]
    assert max_holders([]) == 0


def test_predicted_prefers_the_subject_hint() -> None:
    budgets = [
        FailoverBudget(
            "vip-holder-power-off", "VIP 198.18.6.101 (keystone)", (BudgetItem("a", 1),)
        ),
        FailoverBudget("vip-holder-power-off", "VIP 198.18.6.100 (mysql)", (BudgetItem("b", 2),)),
    ]
    chosen = predicted(budgets, "vip-holder-power-off", "198.18.6.100")
    assert chosen is not None and chosen.seconds == 2
    fallback = predicted(budgets, "vip-holder-power-off", "nothing")
    assert fallback is not None and fallback.seconds == 1
    assert predicted(budgets, None) is None
    assert predicted(budgets, "galera-member-loss") is None


def test_segments_run_length_encode_the_timeline() -> None:
    runs = segments(log("..xxs."))
    assert [(r.state, r.count, r.start, r.end) for r in runs] == [
        ("ok", 2, 0.0, 0.11),
        ("failed", 2, 0.2, 0.31),
        ("slow", 1, 0.4, 2.4),
        ("ok", 1, 0.5, 0.51),
    ]


def test_errors_are_counted_most_frequent_first() -> None:
    attempts = [
        Attempt(0.0, 0.1, False, "TimeoutError: timed out"),
        Attempt(0.1, 0.1, False, "RuntimeError: HTTP 503 Service Unavailable"),
        Attempt(0.2, 0.1, False, "TimeoutError: timed out"),
        Attempt(0.3, 0.1, True),
    ]
    assert error_counts(attempts) == (
        ("TimeoutError: timed out", 2),
        ("RuntimeError: HTTP 503 Service Unavailable", 1),
    )


def test_in_flight_counts_the_failures_sent_before_the_links_were_cut() -> None:
    """A power-off's fault is the moment its links are cut (here 50 ms after the injection
    began): a request sent 7 ms in was on its way to the node; one sent at 100 ms was not."""
    attempts = [
        Attempt(0.007, 5.0, False, "TimeoutError"),
        Attempt(0.1, 5.0, False, "TimeoutError"),
        Attempt(-2.0, 1.0, False, "HTTP 503"),  # over before the fault: not in flight
        Attempt(6.0, 0.1, True),
    ]
    assert measure_probe(attempts, cut_at=0.05).in_flight == 1
    assert measure_probe(attempts).in_flight == 0  # a kill: HAProxy retries what was dropped
