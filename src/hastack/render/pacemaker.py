"""The cluster-wide Pacemaker files every host of a cluster carries: cib.xml and cib.crm."""

from __future__ import annotations

from collections.abc import Mapping

from ..plan.model import Cluster, FenceDevice, Plan
from ..secrets import SecretStore
from . import cib, cib_xml, crm_text
from .base import RenderedFile

CIB_XML = "/etc/hastack/cib.xml"
CIB_CRM = "/etc/hastack/cib.crm"


def cluster_cib(
    plan: Plan, cluster: Cluster, secrets: SecretStore, fencing: Mapping[str, FenceDevice]
) -> str:
    """The full CIB (``<cib>`` with configuration and an empty status) as XML."""
    return cib_xml.to_xml(cib.build(plan, cluster, secrets, fencing))


def cluster_crm(
    plan: Plan, cluster: Cluster, secrets: SecretStore, fencing: Mapping[str, FenceDevice]
) -> str:
    """The same configuration as crm shell text."""
    return crm_text.to_crm(cib.build(plan, cluster, secrets, fencing))


def render(
    plan: Plan, host: str, secrets: SecretStore, fencing: Mapping[str, FenceDevice]
) -> list[RenderedFile]:
    cluster = plan.cluster_of(host)
    if cluster is None:
        return []
    # both hold the BMC passwords
    return [
        RenderedFile(CIB_CRM, cluster_crm(plan, cluster, secrets, fencing), 0o600, secret=True),
        RenderedFile(CIB_XML, cluster_cib(plan, cluster, secrets, fencing), 0o600, secret=True),
    ]
