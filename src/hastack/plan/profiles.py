"""Timer profiles: every timeout that decides how fast a failure is noticed and healed.

``reference`` is what the seeds and the Debian packages ship; ``fast`` is tuned so that a
drill on this kind of machine still shows no spurious membership changes (token 1000 ms
held for a 3-minute soak under load; 500 ms did not).
"""

from __future__ import annotations

import dataclasses

from ..topology import ProfileName


@dataclasses.dataclass(frozen=True)
class TimerProfile:
    name: ProfileName
    # corosync totem
    token_ms: int
    token_coefficient_ms: int
    consensus_ms: int | None  # None = 1.2 x the runtime token (corosync's default)
    # pacemaker
    dc_deadtime_s: int
    vip_monitor_s: int
    haproxy_monitor_s: int
    transition_s: float  # node loss noticed by the DC -> actions scheduled (measured ~1 s)
    # fencing (fence_ipmilan)
    fence_power_wait_s: int
    fence_action_s: float  # BMC round trip for "off" (measured 0.15 s with power_wait 0)
    # the fence-loop guard: a node fenced this often within this window is left off
    # (a bundle's hastack.fencing.loop_guard overrides both)
    fence_loop_fencings: int
    fence_loop_minutes: int
    # VIP start: IPaddr2 start + gratuitous ARP (measured 0.13-0.15 s)
    vip_start_s: float
    # keepalived
    vrrp_advert_s: float
    vrrp_version: int
    # haproxy health checks
    haproxy_inter_ms: int
    haproxy_fall: int
    haproxy_rise: int
    haproxy_connect_timeout_ms: int
    # galera
    galera_suspect_s: int
    galera_inactive_s: int
    # rabbitmq
    rabbit_net_ticktime_s: int
    # memcached clients (Keystone, Horizon): how long a request waits on a dead server
    # before the client marks it dead; below the API clients' own timeouts, so a dead
    # memcached node costs a slow request, not a failed one
    memcache_timeout_s: float

    def runtime_token_ms(self, nodes: int) -> int:
        """corosync's effective token: token + coefficient x (nodes - 2) for 3+ nodes."""
        return self.token_ms + self.token_coefficient_ms * max(0, nodes - 2)

    def runtime_consensus_ms(self, nodes: int) -> int:
        if self.consensus_ms is not None:
            return self.consensus_ms
        return int(self.runtime_token_ms(nodes) * 1.2)


REFERENCE = TimerProfile(
    name=ProfileName.REFERENCE,
    token_ms=3000,
    token_coefficient_ms=650,
    consensus_ms=None,
    dc_deadtime_s=20,
    vip_monitor_s=30,
    haproxy_monitor_s=30,
    transition_s=1.0,
    fence_power_wait_s=2,
    fence_action_s=2.3,
    fence_loop_fencings=4,
    fence_loop_minutes=60,  # a real server takes minutes to boot: 4 loops fit in an hour
    vip_start_s=0.15,
    vrrp_advert_s=1.0,
    vrrp_version=2,
    haproxy_inter_ms=2000,
    haproxy_fall=3,
    haproxy_rise=2,
    haproxy_connect_timeout_ms=5000,
    galera_suspect_s=5,
    galera_inactive_s=15,
    rabbit_net_ticktime_s=60,
    memcache_timeout_s=3.0,  # python-memcached's default socket timeout
)

FAST = TimerProfile(
    name=ProfileName.FAST,
    token_ms=1000,
    token_coefficient_ms=650,
    consensus_ms=None,
    dc_deadtime_s=2,
    vip_monitor_s=2,
    haproxy_monitor_s=2,
    transition_s=1.0,
    fence_power_wait_s=0,
    fence_action_s=0.15,
    fence_loop_fencings=4,
    fence_loop_minutes=10,  # a lab node rejoins within seconds of a reboot
    vip_start_s=0.15,
    vrrp_advert_s=0.1,
    vrrp_version=3,
    haproxy_inter_ms=500,
    haproxy_fall=2,
    haproxy_rise=2,
    haproxy_connect_timeout_ms=200,
    galera_suspect_s=2,
    # Galera waits half of this for a new view to be installed: at 3 s (1.5 s) a node
    # rejoining under load left the two survivors each non-Primary alone for a moment
    # (`install timer expired`), and writes failed with 1047 for 4 s; a dead node is still
    # declared gone after the suspect timeout, once every survivor suspects it
    galera_inactive_s=6,
    rabbit_net_ticktime_s=20,
    memcache_timeout_s=0.5,
)

PROFILES: dict[ProfileName, TimerProfile] = {REFERENCE.name: REFERENCE, FAST.name: FAST}
