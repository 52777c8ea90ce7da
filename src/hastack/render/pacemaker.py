"""The cluster-wide Pacemaker files every host of a cluster carries: cib.xml and cib.crm,
the fence-loop guard's alert agent (when fencing reboots), and the fence devices' secrets
in Pacemaker's own secrets directory (what ``cibsecret set`` writes: the value, and its
MD5 in ``.sign``, which the fencer checks before use)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from ..plan import fencing as fence_plan
from ..plan.model import Cluster, FenceDevice, Plan
from ..secrets import SecretStore
from . import cib, cib_xml, crm_text, fence_guard
from .base import RenderedFile

CIB_XML = "/etc/hastack/cib.xml"
CIB_CRM = "/etc/hastack/cib.crm"
SECRETS_DIR = "/var/lib/pacemaker/lrm/secrets"  # cibsecret's LRM_CIBSECRETS


def cluster_cib(plan: Plan, cluster: Cluster, fencing: Mapping[str, FenceDevice]) -> str:
    """The full CIB (``<cib>`` with configuration and an empty status) as XML."""
    return cib_xml.to_xml(cib.build(plan, cluster, fencing))


def cluster_crm(plan: Plan, cluster: Cluster, fencing: Mapping[str, FenceDevice]) -> str:
    """The same configuration as crm shell text."""
    return crm_text.to_crm(cib.build(plan, cluster, fencing))


def fence_secrets(
    host: str, cluster: Cluster, secrets: SecretStore, fencing: Mapping[str, FenceDevice]
) -> list[RenderedFile]:
    """The password of every fence device *host* may run (all but its own)."""
    files = []
    for target in cluster.hosts:
        device = fencing.get(target)
        if target == host or device is None:
            continue
        value = secrets.get(device.password_secret).reveal()
        path = f"{SECRETS_DIR}/{cib.fence_id(target)}/{cib.SECRET_PARAMS[0]}"
        sign = hashlib.md5(value.encode()).hexdigest()  # cibsecret's checksum, not security
        files += [
            RenderedFile(path, value + "\n", 0o600, secret=True),
            RenderedFile(path + ".sign", sign + "\n", 0o600),
        ]
    return files


def render(
    plan: Plan, host: str, secrets: SecretStore, fencing: Mapping[str, FenceDevice]
) -> list[RenderedFile]:
    cluster = plan.cluster_of(host)
    if cluster is None:
        return []
    return [
        RenderedFile(CIB_CRM, cluster_crm(plan, cluster, fencing), 0o600),
        RenderedFile(CIB_XML, cluster_cib(plan, cluster, fencing), 0o600),
        *fence_secrets(host, cluster, secrets, fencing),
        *([fence_guard.agent_file()] if fence_plan.loop_guard(plan) is not None else []),
    ]
