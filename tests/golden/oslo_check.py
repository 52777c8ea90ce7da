"""Load a rendered OpenStack config file with the service's own oslo.config options.

Run by Debian's ``/usr/bin/python3`` (where the services are installed), as
``oslo_check.py FILE NAMESPACE...``: the namespaces are the ``oslo.config.opts`` entry
points ``oslo-config-generator`` reads for the service. ``SECTION=GROUP`` among them gives
section SECTION the options the namespaces list under GROUP: a section named at run time,
as Glance's store backends are (``swift=glance.store.swift.Store``). Every option in FILE
must be one the service registers (oslo.config silently ignores unknown ones) and every
value must parse as its type. A section with ``auth_type`` gets that keystoneauth plugin's
options, as keystoneauth registers them at run time. One line per problem; exit 1 if any.
"""

from __future__ import annotations

import configparser
import contextlib
import sys
from importlib.metadata import entry_points

from keystoneauth1 import loading
from oslo_config import cfg


def register(conf: cfg.ConfigOpts, arguments: list[str]) -> list[str]:
    found = {ep.name: ep for ep in entry_points(group="oslo.config.opts")}
    aliases = dict(a.split("=", 1)[::-1] for a in arguments if "=" in a)  # GROUP -> SECTION
    namespaces = [a for a in arguments if "=" not in a]
    missing = [n for n in namespaces if n not in found]
    for name in namespaces:
        if name in missing:
            continue
        for group, opts in found[name].load()():
            key = None if group in (None, "DEFAULT") else group
            alias = aliases.get(str(group))
            for opt in opts:
                # two namespaces may declare one option differently: the first one stays
                with contextlib.suppress(cfg.DuplicateOptError):
                    conf.register_opt(opt, group=key)
                if alias is not None:
                    with contextlib.suppress(cfg.DuplicateOptError):
                        conf.register_opt(opt, group=alias)
    return [f"no oslo.config namespace {n}: its Debian package is not installed" for n in missing]


def main() -> int:
    path, namespaces = sys.argv[1], sys.argv[2:]
    conf = cfg.ConfigOpts()
    problems = register(conf, namespaces)
    parser = configparser.RawConfigParser(strict=True)
    parser.read(path)
    for section in parser.sections():
        if parser.has_option(section, "auth_type"):
            plugin = parser.get(section, "auth_type")
            for opt in loading.get_auth_plugin_conf_options(plugin):
                with contextlib.suppress(cfg.DuplicateOptError):
                    conf.register_opt(opt, group=section)
    conf([], project="hastack-check", default_config_files=[path])
    for section in ["DEFAULT", *parser.sections()]:
        names = (
            parser.defaults()
            if section == "DEFAULT"
            else {k: v for k, v in parser.items(section) if k not in parser.defaults()}
        )
        for name in names:
            group = conf if section == "DEFAULT" else getattr(conf, section, None)
            if group is None:
                problems.append(f"[{section}] is no section the service knows")
                break
            try:
                getattr(group, name)
            except cfg.NoSuchOptError:
                problems.append(f"[{section}] {name} is no option the service knows")
            except (ValueError, cfg.ConfigFileValueError) as error:
                problems.append(f"[{section}] {name}: {error}")
    print("\n".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
