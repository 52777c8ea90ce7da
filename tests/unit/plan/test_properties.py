"""Planner properties, checked on generated bundles."""

from __future__ import annotations

import collections

from hypothesis import given, settings
from hypothesis import strategies as st
from topo_builders import app, topology

from hastack import plan
from hastack.plan import Outcome
from hastack.plan.validate import quorum_size

QUORUM_CHARMS = ("percona-cluster", "rabbitmq-server", "ceph")


@settings(max_examples=60, deadline=None)
@given(
    machines=st.integers(min_value=1, max_value=9),
    sizes=st.lists(st.integers(min_value=1, max_value=7), min_size=1, max_size=3),
)
def test_placement_never_shares_a_domain_while_one_is_free(
    machines: int, sizes: list[int]
) -> None:
    apps = [app(f"q{i}", QUORUM_CHARMS[i % 3], n) for i, n in enumerate(sizes)]
    result = plan.build(topology(apps, machines=machines))
    for i, n in enumerate(sizes):
        per_machine = collections.Counter(
            result.host(u.host).machine for u in result.units_of(f"q{i}")
        )
        assert max(per_machine.values()) == -(-n // machines)  # ceil: spread evenly
        if n <= machines:
            assert set(per_machine.values()) == {1}


@settings(max_examples=60, deadline=None)
@given(members=st.integers(min_value=1, max_value=9), data=st.data())
def test_failure_analysis_agrees_with_majority(members: int, data: st.DataObject) -> None:
    apps = [app("db", "percona-cluster", members)]
    result = plan.build(topology(apps, machines=members))
    cases = [*result.single_failures, *result.double_failures]
    case = data.draw(st.sampled_from(cases)) if cases else None
    if case is None:
        return
    alive = members - len(case.machines)
    outcome = case.outcome_of("db")
    if alive >= quorum_size(members):
        assert outcome is None or outcome.outcome is Outcome.DEGRADED
    else:
        assert outcome is not None and outcome.outcome is Outcome.DOWN


@settings(max_examples=30, deadline=None)
@given(members=st.integers(min_value=1, max_value=8))
def test_quorum_finding_iff_even_or_below_three(members: int) -> None:
    result = plan.build(topology([app("rmq", "rabbitmq-server", members)], machines=members))
    flagged = any(f.path == "applications.rmq.num_units" for f in result.errors)
    assert flagged == (members < 3 or members % 2 == 0)
