"""Horizon's session cache settings pick the memcached client of the Django they run under.

Django 4.1 removed ``MemcachedCache``: Debian 12 ships Django 3.2 (python-memcache), Debian 13
Django 4.2 (pymemcache). Horizon ``exec``s every ``local_settings.d`` snippet in its settings
module, so the test does the same with a stand-in ``django`` module of each version. (Both
were also run under the real Horizon of each release with three memcached, one killed: every
session readable, then no error and a miss for the dead server's sessions.)
"""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest
from golden_cases import render_case

CACHE = "/etc/openstack-dashboard/local_settings.d/_90_hastack.py"


def settings_under(django_version: tuple[int, ...], case: str) -> dict[str, Any]:
    text = next(f.text for f in render_case(case)["ctl-1"] if f.path == CACHE)
    stand_in = types.ModuleType("django")
    stand_in.VERSION = (*django_version, 0, "final", 0)  # type: ignore[attr-defined]
    saved = sys.modules.get("django")
    sys.modules["django"] = stand_in
    try:
        namespace: dict[str, Any] = {}
        exec(text, namespace)  # what Horizon's settings.py does with each snippet
    finally:
        if saved is None:
            del sys.modules["django"]
        else:
            sys.modules["django"] = saved
    return namespace


@pytest.mark.parametrize(
    ("django_version", "backend", "options"),
    [
        (
            (3, 2),  # Debian 12
            "django.core.cache.backends.memcached.MemcachedCache",
            {"socket_timeout": 0.5, "dead_retry": 30},
        ),
        (
            (4, 2),  # Debian 13
            "django.core.cache.backends.memcached.PyMemcacheCache",
            {
                "connect_timeout": 0.5,
                "timeout": 0.5,
                "retry_attempts": 0,  # marked dead at its first failure, as python-memcache
                "dead_timeout": 30,
                "ignore_exc": True,  # a dead server is a cache miss, not an error
            },
        ),
    ],
)
def test_cache_backend_follows_the_django_version(
    django_version: tuple[int, int], backend: str, options: dict[str, object]
) -> None:
    settings = settings_under(django_version, "lab-core-fast")
    assert settings["SESSION_ENGINE"] == "django.contrib.sessions.backends.cache"
    cache = settings["CACHES"]["default"]
    assert (cache["BACKEND"], cache["OPTIONS"]) == (backend, options)
    assert cache["LOCATION"] == ["198.18.0.11:11211", "198.18.0.12:11211", "198.18.0.13:11211"]


def test_only_settings_and_the_django_module_land_in_the_settings_namespace() -> None:
    names = {n for n in settings_under((4, 2), "lab-core-reference") if n != "__builtins__"}
    assert names == {"django", "SESSION_ENGINE", "CACHES"}
