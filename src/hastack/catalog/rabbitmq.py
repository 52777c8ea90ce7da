"""RabbitMQ cluster with quorum queues and pause_minority; clients list every broker."""

from .base import HaModel, QuorumRule, ServiceKind, provides

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
    cluster_port=25672,
    health_checks=("rabbitmq.cluster",),
    renderers=("rabbitmq",),
    lab_supported=True,
    option_names=frozenset(("vip", "management_plugin", "min-cluster-size")),
)
