"""MariaDB Galera: synchronous replication; clients use HAProxy with one writer."""

from ...catalog.base import (
    HA,
    ApiPort,
    HaModel,
    LabPaths,
    QuorumRule,
    ServiceKind,
    SubDir,
    provides,
)

KIND = ServiceKind(
    name="galera",
    charms=(
        "percona-cluster",
        "mysql",
        "mariadb-galera",
        "galera",
        "mariadb",
        "percona-xtradb-cluster",
    ),
    ha_model=HaModel.NATIVE_CLUSTER,
    summary=(
        "MariaDB Galera: synchronous multi-primary replication, reached through HAProxy"
        " with one writer and backups"
    ),
    packages=("mariadb-server", "galera-4", "rsync"),
    api_ports=(ApiPort("mysql", 3306, backend_port=3306),),
    quorum=QuorumRule(minimum=3, arbitrator="garbd"),
    starts_after=(),
    needs=(),
    endpoints=(
        provides("shared-db", "mysql-shared"),
        provides("arbitrator", "galera"),
        HA,
    ),
    min_units=3,
    option_names=frozenset(
        (
            "vip",
            "vip_cidr",
            "vip_iface",
            "root-password",
            "sst-password",
            "corosync_transport",
            "dataset-size",
            "max-connections",
            "ha-bindiface",
            "ha-mcastport",
        )
    ),
    secrets=(
        ("mysql-root-password", "alnum24"),
        ("mysql-hastack-password", "alnum24"),  # hastack's own admin/probe user over the network
    ),
    lab=LabPaths(
        log_dirs=(SubDir("mysql", "mysql:adm", 0o2750),),
        run_dirs=(SubDir("mysqld", "mysql:root"),),
    ),
)
