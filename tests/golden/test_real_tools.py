"""The real Debian tools accept what the renderers produce (marker ``tools``; CI runs them).

Nothing here binds a port or starts a daemon: every tool runs in a check-only mode, and
tools that need the host's interfaces run in an anonymous network namespace.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from golden_cases import CASES, build, render_case
from lxml import etree
from tools import INTERFACES_SCRIPT, materialize, run, sandbox, tool

from hastack.plan.model import Host
from hastack.render import RenderedFile

pytestmark = pytest.mark.tools

GALERA_CNF = "/etc/mysql/mariadb.conf.d/60-hastack-galera.cnf"
RABBITMQ_CONF = "/etc/rabbitmq/rabbitmq.conf"
MEMCACHED_CONF = "/etc/memcached.conf"
DEBIAN_PYTHON = "/usr/bin/python3"  # the services' interpreter and libraries

HOSTS = [(case, host) for case in sorted(CASES) for host in sorted(render_case(case))]


def hosts_with(path: str) -> list[tuple[str, str]]:
    """(case, host) pairs whose host gets the file at *path*."""
    return [
        (case, host)
        for case, host in HOSTS
        if any(f.path == path for f in render_case(case)[host])
    ]


def _files(case: str, host: str, tmp_path: Path) -> Path:
    return materialize(tmp_path / "root", render_case(case)[host])


def _host(case: str, name: str) -> Host:
    return build(case).host(name)


def _interfaces(host: Host) -> list[str]:
    args = []
    for address in host.addresses:
        args += [address.interface, f"{address.address}/{address.network.prefixlen}"]
    return args


def _in_sandbox(host: Host, command: list[str], *, mount: bool = False) -> list[str]:
    return [
        *sandbox(mount=mount),
        "sh",
        "-c",
        INTERFACES_SCRIPT,
        "sh",
        *_interfaces(host),
        "--",
        *command,
    ]


@pytest.mark.parametrize(("case", "host"), HOSTS)
def test_haproxy_accepts_config(case: str, host: str, tmp_path: Path) -> None:
    # `haproxy -c` parses and resolves but binds nothing, so the VIPs need not be local
    root = _files(case, host, tmp_path)
    result = run([tool("haproxy"), "-c", "-f", str(root / "etc/haproxy/haproxy.cfg")])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[WARNING]" not in result.stdout + result.stderr


@pytest.mark.parametrize(("case", "host"), HOSTS)
def test_corosync_accepts_config_and_authkey(case: str, host: str, tmp_path: Path) -> None:
    # `corosync -t` reads /etc/corosync/authkey and must find its own address in the
    # nodelist: run it with the rendered /etc/corosync bind-mounted, in a fresh netns
    root = _files(case, host, tmp_path)
    logs = tmp_path / "log"
    logs.mkdir()
    script = (
        'mount --bind "$1" /etc/corosync && mount --bind "$2" /var/log/corosync && exec "$3" -t'
    )
    inner = ["sh", "-c", script, "sh", str(root / "etc/corosync"), str(logs), tool("corosync")]
    result = run(_in_sandbox(_host(case, host), inner, mount=True))
    log = "".join(p.read_text() for p in logs.iterdir())
    assert result.returncode == 0, result.stdout + result.stderr + log
    assert "exiting normally" in log


@pytest.mark.parametrize("case", sorted(c for c in CASES if "keepalived" in c))
def test_keepalived_accepts_config(case: str, tmp_path: Path) -> None:
    for name, files in render_case(case).items():
        root = materialize(tmp_path / name, files)
        conf = str(root / "etc/keepalived/keepalived.conf")
        command = [tool("keepalived"), "--config-test", "--log-console", "-f", conf]
        result = run(_in_sandbox(_host(case, name), command))
        assert result.returncode == 0, f"{name}: {result.stdout}{result.stderr}"
        assert "WARNING" not in result.stdout + result.stderr, name


def test_keepalived_rejects_a_broken_config(tmp_path: Path) -> None:
    """The check above would catch a mistake: keepalived -t fails on a bad advert_int."""
    case = "lab-core-keepalived"
    files = render_case(case)["ctl-1"]
    root = materialize(tmp_path, files)
    conf = root / "etc/keepalived/keepalived.conf"
    conf.write_text(conf.read_text().replace("advert_int 0.1", "advert_int fast"))
    command = [tool("keepalived"), "--config-test", "--log-console", "-f", str(conf)]
    assert run(_in_sandbox(_host(case, "ctl-1"), command)).returncode != 0


def _cib(case: str) -> bytes:
    return render_case(case)["ctl-1"][_index(render_case(case)["ctl-1"], "cib.xml")].text.encode()


def _index(files: list[RenderedFile], suffix: str) -> int:
    return next(i for i, f in enumerate(files) if f.path.endswith(suffix))


def _online(cib: bytes) -> bytes:
    """The CIB with a status section in which every node is up and the cluster quorate."""
    root = etree.fromstring(cib)
    root.set("have-quorum", "1")
    status = root.find("status")
    for node in root.find("configuration/nodes"):
        attrs = {"in_ccm": "true", "crmd": "online", "join": "member", "expected": "member"}
        etree.SubElement(
            status, "node_state", {"id": node.get("id"), "uname": node.get("uname"), **attrs}
        )
    return etree.tostring(root)


@pytest.mark.parametrize("case", sorted(CASES))
def test_crm_verify_finds_no_error(case: str, tmp_path: Path) -> None:
    pristine = tmp_path / "cib.xml"
    pristine.write_bytes(_cib(case))
    # as rendered (empty status): only "no quorum yet"-style warnings, never an error
    result = run([tool("crm_verify"), "--xml-file", str(pristine), "-V"])
    assert "error" not in (result.stdout + result.stderr).lower(), result.stderr
    # with every node online and quorate: clean
    online = tmp_path / "online.xml"
    online.write_bytes(_online(_cib(case)))
    result = run([tool("crm_verify"), "--xml-file", str(online), "-V"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout + result.stderr == ""


@pytest.mark.parametrize("case", sorted(CASES))
def test_crm_simulate_places_vips_and_fencing(case: str, tmp_path: Path) -> None:
    online = tmp_path / "online.xml"
    online.write_bytes(_online(_cib(case)))
    result = run([tool("crm_simulate"), "--xml-file", str(online), "--run"])
    assert result.returncode == 0, result.stderr
    starts = dict(re.findall(r"\* Start\s+(\S+)\s+\(\s*(\S+)\s*\)", result.stdout))
    built = build(case)
    for cluster in built.clusters:
        for host in cluster.hosts:
            assert starts[f"fence-{host}"] != host
        for vip in cluster.vips if cluster.vip_provider.value == "pacemaker" else ():
            owners = {u.host for u in built.units_of(vip.application)}
            assert starts[vip.resource_id] in owners, vip.resource_id
    assert ("haproxy:0" in starts) is True


def _normalized_configuration(cib: bytes) -> list[tuple[str, ...]]:
    """Resources, constraints and settings without generated ids, for comparison."""
    root = etree.fromstring(cib)
    out: list[tuple[str, ...]] = []
    for element in root.find("configuration").iter():
        if not isinstance(element.tag, str) or element.tag in ("configuration", "operations"):
            continue
        keep = {
            k: v
            for k, v in element.attrib.items()
            if not (
                k == "id"
                and element.tag
                in (
                    "nvpair",
                    "op",
                    "instance_attributes",
                    "meta_attributes",
                    "cluster_property_set",
                )
            )
        }
        parent = element.getparent()
        owner = parent.get("id", parent.tag) if parent is not None else ""
        out.append((element.tag, owner, *sorted(f"{k}={v}" for k, v in keep.items())))
    return sorted(out)


@pytest.mark.parametrize("case", sorted(CASES))
def test_crmsh_loads_crm_text_into_the_same_configuration(case: str, tmp_path: Path) -> None:
    # crmsh works offline on a file CIB (CIB_file); the result must equal cib.xml
    files = render_case(case)["ctl-1"]
    crm_text = tmp_path / "cib.crm"
    crm_text.write_text(files[_index(files, "cib.crm")].text)
    target = tmp_path / "from-crm.xml"
    empty = run([tool("cibadmin"), "--empty"])
    target.write_text(empty.stdout)
    env = {"CIB_file": str(target), "HOME": str(tmp_path), "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
    # crmsh asks systemd (over D-Bus) for the metadata of `systemd:haproxy`; where the tests
    # run there may be no systemd (a lab node has one), so it is told not to check agents
    settings = tmp_path / ".config" / "crm" / "crm.conf"
    settings.parent.mkdir(parents=True)
    settings.write_text("[core]\ncheck_frequency = never\n")
    result = run([tool("crm"), "configure", "load", "update", str(crm_text)], env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _normalized_configuration(target.read_bytes()) == _normalized_configuration(_cib(case))


@pytest.mark.parametrize(("case", "host"), hosts_with(GALERA_CNF))
def test_mariadbd_accepts_galera_cnf(case: str, host: str, tmp_path: Path) -> None:
    root = _files(case, host, tmp_path)
    cnf = root / GALERA_CNF.lstrip("/")
    # --help --verbose parses every option (unknown ones fail) and prints the values
    result = run([tool("mariadbd"), f"--defaults-file={cnf}", "--help", "--verbose"])
    assert result.returncode == 0, result.stderr
    values = dict(re.findall(r"^([a-z0-9-]+)[ \t]+(\S.*)$", result.stdout, re.MULTILINE))
    address = str(_host(case, host).addresses[0].address)
    assert values["bind-address"] == address
    assert values["wsrep-node-address"] == address
    assert values["wsrep-on"] == "TRUE"
    assert values["innodb-buffer-pool-size"] == str(64 * 1024 * 1024)
    assert values["wsrep-provider-options"].startswith("evs.suspect_timeout=PT")


def _rabbit_dirs() -> tuple[list[str], str]:
    """The code paths (cuttlefish, and the rabbit modules translations call) and schema."""
    base = "/usr/lib/rabbitmq/lib/rabbitmq_server-*/plugins"
    ebins = sorted(glob.glob(f"{base}/*/ebin"))
    schema = sorted(glob.glob(f"{base}/rabbit-*/priv/schema/rabbit.schema"))
    if not ebins or not schema:
        pytest.fail(
            "RabbitMQ's config schema is missing; install the Debian package rabbitmq-server"
        )
    return ebins, schema[-1]


RABBIT_CHECK = """
Schema = cuttlefish_schema:files([os:getenv("SCHEMA")]),
case cuttlefish_conf:files([os:getenv("CONF")]) of
    {errorlist, _} = Bad -> io:format("~p~n", [Bad]), halt(1);
    Conf -> case cuttlefish_generator:map(Schema, Conf) of
        {error, _, _} = E -> io:format("~p~n", [E]), halt(1);
        Config -> io:format("~p~n", [Config]), halt(0)
    end
end.
"""


def _rabbit_schema_check(conf: Path, home: Path) -> CompletedProcess[str]:
    # no offline validator ships with RabbitMQ (3.10 or 4.0): run its own cuttlefish schema
    # (what the broker does at boot) on the file, in a bare Erlang VM
    ebins, schema = _rabbit_dirs()
    env = {"SCHEMA": schema, "CONF": str(conf), "HOME": str(home), "PATH": "/usr/bin:/bin"}
    return run([tool("erl"), "-noshell", "-pa", *ebins, "-eval", RABBIT_CHECK], env=env)


@pytest.mark.parametrize(("case", "host"), hosts_with(RABBITMQ_CONF))
def test_rabbitmq_schema_accepts_config(case: str, host: str, tmp_path: Path) -> None:
    root = _files(case, host, tmp_path)
    result = _rabbit_schema_check(root / RABBITMQ_CONF.lstrip("/"), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "{cluster_partition_handling,pause_minority}" in result.stdout
    assert "{loopback_users,[]}" in result.stdout
    env_file = root / "etc/rabbitmq/rabbitmq-env.conf"
    sourced = run(["sh", "-c", '. "$1" && echo "$NODENAME"', "sh", str(env_file)])
    assert sourced.stdout.strip() == f"rabbit@{host}"


def test_rabbitmq_schema_rejects_an_unknown_key(tmp_path: Path) -> None:
    # a key no RabbitMQ knows (`default_queue_type` is unknown to 3.10 but valid in 4.0)
    conf = tmp_path / "rabbitmq.conf"
    conf.write_text("cluster_partition_handling_typo = pause_minority\n")
    result = _rabbit_schema_check(conf, tmp_path)
    assert result.returncode != 0
    assert "unknown_variable" in result.stdout


@pytest.mark.parametrize(("case", "host"), hosts_with(MEMCACHED_CONF))
def test_memcached_knows_every_option(case: str, host: str, tmp_path: Path) -> None:
    # Debian's start-memcached passes the "-x value" lines to memcached as they are
    root = _files(case, host, tmp_path)
    conf = root / MEMCACHED_CONF.lstrip("/")
    usage = run([tool("memcached"), "-h"]).stdout
    for line in conf.read_text().splitlines():
        if line.startswith("-"):
            flag = line.split()[0]
            assert re.search(rf"^{flag}[, ]", usage, re.MULTILINE), f"memcached has no {flag}"


def _paths(predicate: Callable[[str], bool]) -> list[str]:
    return sorted({f.path for c, _h in HOSTS for f in render_case(c)[_h] if predicate(f.path)})


# every service's own Apache instance: /etc/keystone/apache2.conf, /etc/heat/apache2-heat-api.conf
APACHE_CONFS = _paths(lambda p: Path(p).name.startswith("apache2") and p.endswith(".conf"))


@pytest.mark.parametrize(
    ("case", "host", "conf"), [(*h, c) for c in APACHE_CONFS for h in hosts_with(c)]
)
def test_apache_accepts_each_service_instance(
    case: str, host: str, conf: str, tmp_path: Path
) -> None:
    root = _files(case, host, tmp_path)
    result = run([tool("apache2"), "-t", "-f", str(root / conf.lstrip("/"))])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Syntax OK" in result.stderr


# the oslo.config namespaces each OpenStack service reads (its oslo-config-generator list)
OSLO_NAMESPACES = {
    "/etc/placement/placement.conf": (
        "placement.conf",
        "keystonemiddleware.auth_token",
        "oslo.log",
        "oslo.policy",
    ),
    "/etc/heat/heat.conf": (
        "heat.common.config",
        "heat.common.context",
        "heat.engine.clients",
        "heat.api.aws.ec2token",
        "keystonemiddleware.auth_token",
        "oslo.messaging",
        "oslo.db",
        "oslo.log",
        "oslo.cache",
        "oslo.policy",
        "oslo.concurrency",
    ),
    "/etc/glance/glance-api.conf": (
        "glance.api",
        "glance.multi_store",
        "swift=glance.store.swift.Store",  # the backend named "swift" in enabled_backends
        "keystonemiddleware.auth_token",
        "oslo.db",
        "oslo.log",
        "oslo.policy",
        "oslo.concurrency",
    ),
}
OSLO_CHECK = Path(__file__).with_name("oslo_check.py")
# the library each checked service needs; `hastack lab prepare` (scripts/setup, CI) installs
# them with the default bundle's packages, a machine prepared for lab-core.yaml alone lacks some
OSLO_LIBRARY = {"/etc/glance/glance-api.conf": "glance"}
DIST_PACKAGES = Path("/usr/lib/python3/dist-packages")


@pytest.mark.parametrize(
    ("case", "host", "conf"), [(*h, c) for c in sorted(OSLO_NAMESPACES) for h in hosts_with(c)]
)
def test_the_service_knows_every_option_and_value(
    case: str, host: str, conf: str, tmp_path: Path
) -> None:
    # oslo.config ignores an option it does not know (a misspelt rabbit_quorum_queue would
    # quietly give classic queues): load the file with the service's own options
    library = OSLO_LIBRARY.get(conf)
    if library is not None and not (DIST_PACKAGES / library).is_dir():
        pytest.skip(
            f"python3-{library} is not installed (this machine was prepared for "
            "examples/lab-core.yaml alone): `hastack lab prepare` installs it"
        )
    root = _files(case, host, tmp_path)
    namespaces = OSLO_NAMESPACES[conf]
    result = run([DEBIAN_PYTHON, str(OSLO_CHECK), str(root / conf.lstrip("/")), *namespaces])
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_oslo_check_finds_unknown_options_and_bad_values(tmp_path: Path) -> None:
    text = next(
        f.text for f in render_case("lab-core-fast")["ctl-1"] if f.path.endswith("heat.conf")
    )
    text = text.replace("rabbit_quorum_queue = true", "rabbit_quorum_queues = true")
    text = text.replace("memcache_pool_socket_timeout = 1", "memcache_pool_socket_timeout = 0.5")
    conf = tmp_path / "heat.conf"
    conf.write_text(text)
    namespaces = OSLO_NAMESPACES["/etc/heat/heat.conf"]
    result = run([DEBIAN_PYTHON, str(OSLO_CHECK), str(conf), *namespaces])
    assert result.returncode == 1
    assert "[oslo_messaging_rabbit] rabbit_quorum_queues is no option" in result.stdout
    assert "[keystone_authtoken] memcache_pool_socket_timeout: Value" in result.stdout


def test_every_openstack_service_config_is_checked() -> None:
    services = {
        f.path for c, h in HOSTS for f in render_case(c)[h] if "\n[keystone_authtoken]\n" in f.text
    }
    assert services and services <= set(OSLO_NAMESPACES)
