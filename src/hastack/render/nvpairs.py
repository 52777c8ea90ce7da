"""One name/value pair in a CIB attribute set (``<nvpair>`` in ``instance_attributes``,
``meta_attributes``, ``cluster_property_set``), set in place on XML already rendered."""

from __future__ import annotations

from lxml import etree


def set_nvpair(attrs: etree._Element, name: str, value: str) -> None:
    """*name* = *value* in the attribute set *attrs*: the pair's value replaced, or a new pair
    with the id Pacemaker's tools give it (``<set id>-<name>``)."""
    for nvpair in attrs.findall("nvpair"):
        if nvpair.get("name") == name:
            nvpair.set("value", value)
            return
    etree.SubElement(
        attrs, "nvpair", {"id": f"{attrs.get('id')}-{name}", "name": name, "value": value}
    )
