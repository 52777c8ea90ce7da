"""RabbitMQ cluster with quorum queues and pause_minority; clients list every broker."""

from ...catalog.base import HaModel, LabPaths, QuorumRule, ServiceKind, SubDir, provides

KIND = ServiceKind(
    name="rabbitmq",
    charms=("rabbitmq-server", "rabbitmq"),
    ha_model=HaModel.NATIVE_CLUSTER,
    summary="RabbitMQ cluster with quorum queues and pause_minority; clients list every broker",
    packages=("rabbitmq-server",),
    api_ports=(),
    quorum=QuorumRule(minimum=3),
    starts_after=(),
    needs=(),
    endpoints=(provides("amqp", "rabbitmq"),),
    min_units=3,
    client_port=5672,
    option_names=frozenset(("vip", "management_plugin", "min-cluster-size")),
    secrets=(
        ("erlang-cookie", "upper20"),
        ("rabbitmq-password", "alnum24"),  # the "openstack" messaging user
    ),
    lab=LabPaths(
        log_dirs=(SubDir("rabbitmq", "rabbitmq:rabbitmq", 0o750),),
        run_dirs=(SubDir("rabbitmq", "rabbitmq:rabbitmq"),),
    ),
)
