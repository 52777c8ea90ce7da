from hastack.health.status import Status, worst


def test_ladder_order() -> None:
    assert Status.OK < Status.WAITING < Status.DEGRADED < Status.BLOCKED < Status.DOWN
    assert sorted([Status.DOWN, Status.OK, Status.BLOCKED]) == [
        Status.OK,
        Status.BLOCKED,
        Status.DOWN,
    ]


def test_worst() -> None:
    assert worst([Status.OK, Status.DEGRADED, Status.WAITING]) is Status.DEGRADED
    assert worst([]) is Status.OK
